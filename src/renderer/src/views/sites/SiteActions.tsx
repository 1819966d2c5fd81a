import { useState } from 'react';
import type { SiteStatus } from '../../../../shared/model/certificate';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';
import { useSignInStatus, useSignInStore } from '../../state/signInContext';
import { useStore } from '../../state/context';
import { useCertificateState } from './CertificateBadge';
import { formatTimeOfDay, phaseLabels, primaryAction } from './certificateText';
import { CopyLink } from './CopyLink';

/**
 * What can be done with a site's certificate, and what is going on: Sign in / Renew / Sign out,
 * or while signing in a spinner with the phase, Cancel and "Copy sign-in link"; problems and
 * failed sign-ins in plain words.
 */
export function SiteActions({ site, status }: { site: string; status: SiteStatus | null }) {
  const signIn = useSignInStore();
  const { errors } = useSignInStatus();
  const store = useStore();
  const { state } = useCertificateState(status);
  // Between the click and the core's first progress event.
  const [starting, setStarting] = useState(false);
  const progress = status?.signingIn ?? null;
  const error = errors[site];
  const problem = status?.problem ?? null;

  const start = async () => {
    setStarting(true);
    const outcome = await signIn.signIn(site);
    setStarting(false);
    if (outcome === 'done') {
      const warnings = signIn.getSnapshot().warnings[site] ?? [];
      store.toast(warnings[0] ?? `Signed in to ${site}.`, warnings.length ? 'info' : 'success');
    }
  };

  return (
    <div className="site-actions">
      {progress || starting ? (
        <>
          <p className="signin-progress" role="status">
            <Spinner />
            <span>{progress ? phaseLabels[progress.phase] : 'Starting…'}</span>
          </p>
          <div className="site-actions-row">
            <button type="button" className="btn btn-sm" onClick={() => void signIn.cancel(site)}>
              Cancel
            </button>
            {progress?.url && <CopyLink url={progress.url} />}
          </div>
        </>
      ) : (
        <div className="site-actions-row">
          <button
            type="button"
            className={primaryAction(state) === 'sign-in' ? 'btn btn-sm btn-primary' : 'btn btn-sm'}
            onClick={() => void start()}
            aria-label={`${primaryAction(state) === 'sign-in' ? 'Sign in to' : 'Renew'} ${site}`}
          >
            {primaryAction(state) === 'sign-in' ? 'Sign in' : 'Renew'}
          </button>
          {state !== 'signed-out' && (
            <button
              type="button"
              className="btn btn-sm btn-ghost"
              onClick={() => void signIn.signOut(site)}
              aria-label={`Sign out of ${site}`}
            >
              Sign out
            </button>
          )}
        </div>
      )}
      {status?.renewedAutomaticallyAt && !progress && (
        <p className="site-note">
          <Icon name="check" size={12} /> Renewed automatically at{' '}
          {formatTimeOfDay(status.renewedAutomaticallyAt)}
        </p>
      )}
      {error ? (
        <p className="site-problem" role="alert">
          {error}
        </p>
      ) : (
        problem &&
        !progress && (
          <p className="site-problem" role="alert">
            {problem}
          </p>
        )
      )}
    </div>
  );
}
