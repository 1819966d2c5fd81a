import { useAppState } from '../state/context';

/** A quiet footer: where the UI is connected to, and the version. */
export function StatusBar() {
  const { info, connection, settings } = useAppState();
  const connected = connection.status === 'connected';
  const hostLabel =
    info?.host === 'web' ? 'Browser mode' : info?.host === 'electron' ? 'Desktop' : '';
  return (
    <footer className="statusbar">
      <span
        className={connected ? 'status-dot status-dot-ok' : 'status-dot status-dot-bad'}
        aria-hidden="true"
      />
      <span>{connected ? 'Connected to OneHop core' : 'Not connected'}</span>
      {hostLabel && <span className="statusbar-sep">{hostLabel}</span>}
      <span className="statusbar-spacer" />
      {settings && (
        <span>
          {settings.sites.length} {settings.sites.length === 1 ? 'site' : 'sites'} ·{' '}
          {settings.hosts.length} {settings.hosts.length === 1 ? 'host' : 'hosts'}
        </span>
      )}
      {info && <span className="statusbar-sep">OneHop {info.version}</span>}
    </footer>
  );
}
