import { useState } from 'react';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';
import { useSettings } from '../../state/context';
import { useSignInStatus, useSignInStore } from '../../state/signInContext';
import type { ControllerState, TerminalController } from './terminalController';
import { overlayFor } from './terminalText';

/**
 * What stands between the user and a terminal that is not connected: a veil while connecting,
 * a banner while reconnecting, and a card with the problem and the one action that helps.
 */
export function TerminalOverlay({
  controller,
  state,
  onClose,
}: {
  controller: TerminalController;
  state: ControllerState;
  onClose: () => void;
}) {
  const signIn = useSignInStore();
  const { errors, sites } = useSignInStatus();
  const settings = useSettings();
  const [signingIn, setSigningIn] = useState(false);
  const overlay = overlayFor(state.info, {
    openError: state.openError,
    everConnected: state.everConnected,
    hasOutput: state.hasOutput,
    title: state.info?.title ?? controller.host.name,
  });
  if (!overlay) return null;

  if (overlay.kind === 'connecting') {
    return (
      <div className="terminal-veil" role="status">
        <p className="terminal-connecting">
          <Spinner />
          <span>{overlay.text}</span>
        </p>
      </div>
    );
  }
  if (overlay.kind === 'reconnecting') {
    return (
      <p className="terminal-banner" role="status">
        <Spinner />
        <span>{overlay.text}</span>
      </p>
    );
  }

  // A session that failed before the core resolved its route carries no site: use the host's.
  const site =
    state.info?.site ?? settings.hosts.find((h) => h.name === controller.host.name)?.site ?? null;
  const signInError = site ? errors[site] : undefined;
  const certificate = site ? sites[site]?.state : undefined;
  // Reconnecting cannot help without a certificate, whatever the failure was.
  const action =
    overlay.action === 'reconnect' &&
    state.info?.state === 'disconnected' &&
    (certificate === 'signed-out' || certificate === 'expired')
      ? 'sign-in'
      : overlay.action;
  const signInAgain = async () => {
    if (!site) return;
    setSigningIn(true);
    const outcome = await signIn.signIn(site);
    setSigningIn(false);
    if (outcome === 'done') await controller.reconnect();
  };

  return (
    <div className="terminal-veil">
      <div className="terminal-card" role="alert" aria-labelledby={`${controller.tabId}-problem`}>
        <h2 id={`${controller.tabId}-problem`} className="terminal-card-title">
          <Icon name={state.info?.state === 'closed' ? 'info' : 'warning'} size={16} />
          {overlay.title}
        </h2>
        {overlay.detail && <p className="terminal-card-detail">{overlay.detail}</p>}
        {signInError && action === 'sign-in' && (
          <p className="terminal-card-detail">{signInError}</p>
        )}
        <div className="terminal-card-actions">
          {action === 'sign-in' && site ? (
            signingIn ? (
              <>
                <span className="terminal-connecting">
                  <Spinner />
                  Waiting for the browser…
                </span>
                <button type="button" className="btn" onClick={() => void signIn.cancel(site)}>
                  Cancel
                </button>
              </>
            ) : (
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => void signInAgain()}
                autoFocus
              >
                {certificate === 'signed-out' ? 'Sign in' : 'Sign in again'}
              </button>
            )
          ) : action === 'reconnect' || action === 'sign-in' ? (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void controller.reconnect()}
              autoFocus
            >
              <Icon name="refresh" size={14} />
              Reconnect
            </button>
          ) : action === 'retry-open' ? (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void controller.open()}
              autoFocus
            >
              <Icon name="refresh" size={14} />
              Try again
            </button>
          ) : null}
          <button type="button" className="btn" onClick={onClose}>
            Close tab
          </button>
        </div>
      </div>
    </div>
  );
}
