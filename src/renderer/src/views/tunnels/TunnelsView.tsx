import { useState } from 'react';
import type { TunnelProfile } from '../../../../shared/model/settings';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/Icon';
import { useClient, useSettings, useStore } from '../../state/context';
import { messageOf } from '../../state/store';
import { AddPresetButton } from '../sites/AddPresetButton';
import { TunnelCard } from './TunnelCard';
import { TunnelEditor } from './TunnelEditor';
import { stoppedRuntime, useTunnelRuntimes } from './tunnelRuntime';
import { isRunning } from './tunnelText';
import './tunnels.css';

export function TunnelsView() {
  const settings = useSettings();
  const client = useClient();
  const store = useStore();
  const { tunnels: runtimes, loadError } = useTunnelRuntimes();
  const [editing, setEditing] = useState<TunnelProfile | 'new' | null>(null);
  const [removing, setRemoving] = useState<TunnelProfile | null>(null);
  const [removeBusy, setRemoveBusy] = useState(false);

  const remove = async (profile: TunnelProfile) => {
    setRemoveBusy(true);
    try {
      await client.call('tunnels.remove', { name: profile.name });
      store.toast(`Removed ${profile.name}.`, 'success');
    } catch (error) {
      store.toast(messageOf(error), 'error');
    }
    setRemoveBusy(false);
    setRemoving(null);
  };

  const dialogs = (
    <>
      {editing && (
        <TunnelEditor
          profile={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onRemove={(profile) => {
            setEditing(null);
            setRemoving(profile);
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove tunnel"
          danger
          busy={removeBusy}
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        >
          {isRunning(runtimes[removing.name]?.state ?? 'stopped')
            ? 'The tunnel is running: OneHop stops it, closing its connections, and forgets the profile.'
            : 'OneHop forgets this tunnel profile. Nothing changes on the remote hosts.'}
        </ConfirmDialog>
      )}
    </>
  );

  if (settings.tunnels.length === 0) {
    return (
      <div className="view">
        <EmptyState
          icon="tunnel"
          title="No tunnel profiles yet"
          actions={
            <>
              <AddPresetButton />
              <button type="button" className="btn" onClick={() => setEditing('new')}>
                Add a tunnel…
              </button>
            </>
          }
        >
          Tunnels keep ports of your workstation or log servers reachable on this computer, for
          tools such as ecflow_ui. The ECMWF preset brings two examples.
        </EmptyState>
        {dialogs}
      </div>
    );
  }

  const running = settings.tunnels.filter((t) =>
    isRunning(runtimes[t.name]?.state ?? 'stopped'),
  ).length;
  return (
    <div className="view">
      <header className="view-header">
        <div>
          <h1 className="view-title">Tunnels</h1>
          <p className="view-subtitle">
            {settings.tunnels.length} {settings.tunnels.length === 1 ? 'profile' : 'profiles'} ·{' '}
            {running === 0 ? 'none running' : `${String(running)} running`}
          </p>
        </div>
        <div className="toolbar">
          <button type="button" className="btn" onClick={() => setEditing('new')}>
            <Icon name="plus" size={14} />
            Add tunnel
          </button>
        </div>
      </header>
      {loadError && (
        <p className="inline-note" role="alert">
          <Icon name="warning" size={14} />
          Tunnel states are not available: {loadError}
        </p>
      )}
      <div className="tunnel-list">
        {settings.tunnels.map((profile) => (
          <TunnelCard
            key={profile.name}
            profile={profile}
            site={settings.sites.find((s) => s.name === profile.site)}
            runtime={runtimes[profile.name] ?? stoppedRuntime(profile.name)}
            onEdit={() => setEditing(profile)}
          />
        ))}
      </div>
      {dialogs}
    </div>
  );
}
