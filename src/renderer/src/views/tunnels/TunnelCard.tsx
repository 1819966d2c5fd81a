import { useState } from 'react';
import type { Site, TunnelProfile } from '../../../../shared/model/settings';
import type { TunnelRuntime } from '../../../../shared/model/tunnel';
import { Badge } from '../../components/Badge';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';
import { useClient, useStore } from '../../state/context';
import { useSignInStatus, useSignInStore } from '../../state/signInContext';
import { messageOf } from '../../state/store';
import { ForwardTable } from './ForwardTable';
import { TunnelEvents } from './TunnelEvents';
import { useTunnelRuntimeStore } from './tunnelRuntime';
import { isRunning, launcherStateText, stateLabels, stateTones } from './tunnelText';

type Action = 'start' | 'stop' | 'launch';

export function tunnelDomId(name: string): string {
  return `tunnel-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function StopIcon() {
  return (
    <svg className="icon" width={13} height={13} viewBox="0 0 24 24" aria-hidden="true">
      <rect x="6" y="6" width="12" height="12" rx="1.5" fill="currentColor" />
    </svg>
  );
}

/** One profile: state, Start/Stop, forwards with counters, launcher and recent events. */
export function TunnelCard({
  profile,
  site,
  runtime,
  onEdit,
}: {
  profile: TunnelProfile;
  site: Site | undefined;
  runtime: TunnelRuntime;
  onEdit: () => void;
}) {
  const client = useClient();
  const store = useStore();
  const runtimes = useTunnelRuntimeStore();
  const [busy, setBusy] = useState<Action | null>(null);
  const id = tunnelDomId(profile.name);
  const running = isRunning(runtime.state);
  const launcher = profile.launcher;

  const run = async (action: Action) => {
    setBusy(action);
    try {
      const command = `tunnels.${action}` as const;
      const { tunnel } = await client.call(command, { name: profile.name });
      runtimes.merge(tunnel);
      if (action === 'launch' && tunnel.launcher?.state === 'failed' && tunnel.launcher.message) {
        store.toast(tunnel.launcher.message, 'error');
      }
    } catch (error) {
      store.toast(messageOf(error), 'error');
    } finally {
      setBusy(null);
    }
  };

  return (
    <article
      className="tunnel-card"
      aria-labelledby={`${id}-title`}
      data-tunnel={profile.name}
      data-state={runtime.state}
    >
      <header className="tunnel-card-head">
        <Icon name="tunnel" className="tunnel-card-icon" />
        <h2 id={`${id}-title`} className="tunnel-card-title">
          {profile.name}
        </h2>
        <span data-testid="tunnel-state">
          <Badge tone={stateTones[runtime.state]} dot>
            {stateLabels[runtime.state]}
          </Badge>
        </span>
        {profile.autostart && (
          <span className="tunnel-autostart" title="Starts after each sign-in">
            autostart
          </span>
        )}
        <span className="tunnel-card-spacer" />
        {running ? (
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => void run('stop')}
            disabled={busy !== null}
            aria-label={`Stop ${profile.name}`}
          >
            {busy === 'stop' ? <Spinner size={12} /> : <StopIcon />}
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-sm btn-primary"
            onClick={() => void run('start')}
            disabled={busy !== null}
            aria-label={`Start ${profile.name}`}
          >
            {busy === 'start' ? <Spinner size={12} /> : <Icon name="play" size={13} />}
            Start
          </button>
        )}
        <button
          type="button"
          className="icon-btn"
          onClick={onEdit}
          aria-label={`Edit ${profile.name}`}
          title="Edit"
        >
          <Icon name="pencil" size={15} />
        </button>
      </header>
      <TunnelProblem profile={profile} runtime={runtime} />
      <dl className="tunnel-facts">
        <dt>Site</dt>
        <dd>
          {site ? (site.title ?? site.name) : (profile.site ?? <span className="muted">none</span>)}
        </dd>
        <dt>Via</dt>
        <dd>
          {profile.via ? (
            <code>{profile.via}</code>
          ) : (
            <span className="warning-text">not set — choose your workstation</span>
          )}
        </dd>
        <dt>Forwards</dt>
        <dd>
          <ForwardTable forwards={profile.forwards} runtimes={runtime.forwards} running={running} />
        </dd>
        {launcher && (
          <>
            <dt>Launcher</dt>
            <dd className="tunnel-launcher">
              <div className="tunnel-launcher-row">
                <code className="tunnel-launcher-command">
                  {[launcher.command, ...launcher.args].join(' ')}
                </code>
                <button
                  type="button"
                  className="btn btn-sm"
                  aria-disabled={launcher.enabled ? undefined : 'true'}
                  aria-describedby={launcher.enabled ? undefined : `${id}-launch-off`}
                  disabled={launcher.enabled && busy !== null}
                  onClick={() => {
                    if (launcher.enabled) void run('launch');
                  }}
                >
                  {busy === 'launch' ? <Spinner size={12} /> : <Icon name="play" size={13} />}
                  Launch
                </button>
              </div>
              {!launcher.enabled ? (
                <p id={`${id}-launch-off`} className="field-hint">
                  Off until you confirm that {launcher.command} is installed on this computer: edit
                  the tunnel and tick “{launcher.command} is installed”.
                </p>
              ) : (
                runtime.launcher && (
                  <p
                    className={runtime.launcher.state === 'failed' ? 'forward-error' : 'field-hint'}
                    data-testid="launcher-state"
                  >
                    {launcherStateText(runtime.launcher)}
                  </p>
                )
              )}
            </dd>
          </>
        )}
      </dl>
      <TunnelEvents events={runtime.events} />
    </article>
  );
}

/** Why the tunnel is not working, and for a missing certificate the one action that helps. */
function TunnelProblem({ profile, runtime }: { profile: TunnelProfile; runtime: TunnelRuntime }) {
  const signIn = useSignInStore();
  const { errors } = useSignInStatus();
  const store = useStore();
  const [signingIn, setSigningIn] = useState(false);
  const shown =
    runtime.state === 'failed' ||
    runtime.state === 'waiting-for-sign-in' ||
    runtime.state === 'reconnecting';
  if (!shown) return null;
  const site = profile.site;
  const signInError = site ? errors[site] : undefined;
  const start = async () => {
    if (!site) return;
    setSigningIn(true);
    const outcome = await signIn.signIn(site);
    setSigningIn(false);
    // The core resumes the tunnel by itself once the certificate is there.
    if (outcome === 'done')
      store.toast(`Signed in to ${site}; ${profile.name} resumes.`, 'success');
  };
  const tone = runtime.state === 'failed' ? 'tunnel-problem-danger' : 'tunnel-problem-warning';
  return (
    <div
      className={`tunnel-problem ${tone}`}
      role={runtime.state === 'failed' ? 'alert' : 'status'}
    >
      {runtime.state === 'reconnecting' ? <Spinner size={13} /> : <Icon name="warning" size={14} />}
      <div className="tunnel-problem-text">
        <p data-testid="tunnel-reason">
          {runtime.reason ??
            (runtime.state === 'reconnecting' ? 'Reconnecting…' : stateLabels[runtime.state])}
        </p>
        {signInError && runtime.state === 'waiting-for-sign-in' && (
          <p className="muted">{signInError}</p>
        )}
      </div>
      {runtime.state === 'waiting-for-sign-in' &&
        site &&
        (signingIn ? (
          <span className="tunnel-problem-actions">
            <span className="muted">Waiting for the browser…</span>
            <button type="button" className="btn btn-sm" onClick={() => void signIn.cancel(site)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" className="btn btn-sm btn-primary" onClick={() => void start()}>
            Sign in
          </button>
        ))}
    </div>
  );
}
