import type { ConnectionState } from '../api';
import { Icon } from './Icon';

/** Says plainly when the core cannot be reached, and what happens next. */
export function ConnectionBanner({ connection }: { connection: ConnectionState }) {
  if (connection.status === 'connected' || connection.status === 'connecting') return null;
  const reconnecting = connection.status === 'reconnecting';
  return (
    <div className="banner banner-error" role="alert">
      <Icon name="wifiOff" className="banner-icon" />
      <div className="banner-body">
        <strong className="banner-title">{reconnecting ? 'Reconnecting…' : 'Disconnected'}</strong>
        <span className="banner-message">
          {connection.reason}{' '}
          {reconnecting
            ? `Trying again (attempt ${connection.attempt}). Changes cannot be saved until then.`
            : 'Reload the page to try again.'}
        </span>
      </div>
      {!reconnecting && (
        <button type="button" className="btn btn-sm" onClick={() => window.location.reload()}>
          Reload
        </button>
      )}
    </div>
  );
}
