import { useId, useState } from 'react';
import type { SiteStatus } from '../../../../shared/model/certificate';
import type { Site } from '../../../../shared/model/settings';
import { Badge } from '../../components/Badge';
import { Icon } from '../../components/Icon';
import { useClient, useStore } from '../../state/context';
import { messageOf } from '../../state/store';
import { useCertificateState } from './CertificateBadge';
import { formatTimeOfDay } from './certificateText';
import { ConfigBlock } from './ConfigBlock';
import { credentialFiles, modeLabels, readAnswer, shouldAsk, writeAnswer } from './handoffModel';
import { IncludeStep } from './IncludeStep';
import { useHandoffConfig } from './useHandoffConfig';
import './handoff.css';

type Mode = Site['handoff']['mode'];

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * "Use with ssh, scp and rsync": whether OneHop hands this site's certificate to plain OpenSSH,
 * how (ssh-agent or key files), the generated configuration, and the Include in ~/.ssh/config.
 */
export function HandoffPanel({ site, status }: { site: Site; status: SiteStatus | null }) {
  const client = useClient();
  const store = useStore();
  const titleId = useId();
  const modeId = useId();
  const { state } = useCertificateState(status);
  const signedIn = state === 'valid' || state === 'expiring';
  const { enabled, mode } = site.handoff;
  const [answer, setAnswer] = useState(() => readAnswer(storage(), site.name));
  const [busy, setBusy] = useState(false);
  const [offerInclude, setOfferInclude] = useState(false);
  const { config, error, reload } = useHandoffConfig(
    site.name,
    signedIn,
    `${String(enabled)}:${mode}:${status?.obtainedAt ?? ''}`,
  );
  const activeMode = config?.sites.find((s) => s.site === site.name)?.mode ?? null;
  const files = config ? credentialFiles(config.text) : null;

  const remember = (value: 'yes' | 'not-now') => {
    writeAnswer(storage(), site.name, value);
    setAnswer(value);
  };

  /** Switches the hand-off; on: writes the files now, off: takes them away again. */
  const setEnabled = async (on: boolean, nextMode: Mode = mode): Promise<boolean> => {
    setBusy(true);
    try {
      await client.call('sites.setHandoff', { name: site.name, enabled: on, mode: nextMode });
      if (on && signedIn) {
        // The core's notice (say, key files because no agent runs) arrives as a banner.
        await client.call('openssh.apply', { site: site.name, mode: nextMode });
      } else if (!on) {
        await client.call('openssh.remove', { site: site.name });
        const notice = `handoff-${site.name}`;
        if (store.getSnapshot().notices.some((n) => n.id === notice)) {
          void store.dismissNotice(notice);
        }
      }
      return true;
    } catch (caught) {
      store.toast(messageOf(caught), 'error');
      return false;
    } finally {
      setBusy(false);
      reload();
    }
  };

  const toggle = () => {
    remember(enabled ? 'not-now' : 'yes');
    void setEnabled(!enabled);
  };

  const accept = async () => {
    remember('yes');
    if (await setEnabled(true)) setOfferInclude(config?.includeInstalled === false);
  };

  const asking = shouldAsk({ state, enabled, answer });
  return (
    <section className="handoff-panel" aria-labelledby={titleId}>
      <header className="handoff-head">
        <div>
          <h2 id={titleId} className="handoff-title">
            <Icon name="terminal" size={15} /> Use with ssh, scp and rsync
          </h2>
          <p className="handoff-lead">
            After each sign-in OneHop writes an OpenSSH configuration for this site, so plain{' '}
            <code>ssh</code>, <code>scp</code>, <code>rsync</code> and VS Code Remote use the
            certificate too.
          </p>
        </div>
        <button
          type="button"
          role="switch"
          aria-checked={enabled}
          aria-label="Hand the certificate to OpenSSH"
          className="switch"
          disabled={busy}
          onClick={toggle}
        >
          <span className="switch-track" aria-hidden="true">
            <span className="switch-thumb" />
          </span>
          <span className="switch-text">{enabled ? 'On' : 'Off'}</span>
        </button>
      </header>

      {asking && (
        <div className="handoff-ask" role="group" aria-label="Hand the certificate to OpenSSH?">
          <Icon name="info" size={15} />
          <span className="handoff-ask-text">Let plain ssh use this certificate?</span>
          <button
            type="button"
            className="btn btn-sm btn-primary"
            disabled={busy}
            onClick={() => void accept()}
          >
            Yes
          </button>
          <button
            type="button"
            className="btn btn-sm btn-ghost"
            disabled={busy}
            onClick={() => {
              remember('not-now');
              void setEnabled(false);
            }}
          >
            Not now
          </button>
        </div>
      )}

      {!enabled ? (
        <p className="muted">
          Off: OneHop writes no OpenSSH configuration, key or agent entry for this site.
        </p>
      ) : !signedIn ? (
        <p className="muted">Sign in to hand the certificate to OpenSSH.</p>
      ) : (
        <dl className="handoff-facts">
          <dt>Credentials</dt>
          <dd data-testid="handoff-mode" data-mode={activeMode ?? ''}>
            {activeMode === 'agent' ? (
              <>
                <Badge tone="success">ssh-agent</Badge> The key is in your running ssh-agent
                {status?.validBefore
                  ? ` until ${formatTimeOfDay(status.validBefore)}, when the certificate expires`
                  : ''}
                ; no private key is written to disk.
              </>
            ) : activeMode === 'file' ? (
              <>
                <Badge tone="warning">Key files</Badge> No ssh-agent is in use, so the key and
                certificate are in files only you can read:
                <span className="handoff-paths">
                  {files?.identityFile && <code>{files.identityFile}</code>}
                  {files?.certificateFile && <code>{files.certificateFile}</code>}
                </span>
              </>
            ) : (
              <span className="muted">Checking…</span>
            )}
          </dd>
          <dt>
            <label htmlFor={modeId}>Mode</label>
          </dt>
          <dd>
            <select
              id={modeId}
              className="input input-sm handoff-mode-select"
              value={mode}
              disabled={busy}
              onChange={(event) => void setEnabled(true, event.target.value as Mode)}
            >
              {(Object.keys(modeLabels) as Mode[]).map((m) => (
                <option key={m} value={m}>
                  {modeLabels[m]}
                </option>
              ))}
            </select>
          </dd>
          {config && (
            <>
              <dt>Configuration</dt>
              <dd>
                <code className="handoff-path">{config.path}</code>
              </dd>
            </>
          )}
        </dl>
      )}

      {enabled && config && (
        <IncludeStep
          config={config}
          offer={offerInclude}
          onOfferDone={() => setOfferInclude(false)}
          onChanged={reload}
        />
      )}
      {enabled && signedIn && config && <ConfigBlock text={config.text} />}
      {error && (
        <p className="site-problem" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
