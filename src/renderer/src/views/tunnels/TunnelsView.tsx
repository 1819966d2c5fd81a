import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/Icon';
import { useSettings } from '../../state/context';
import { AddPresetButton } from '../sites/AddPresetButton';
import { TUNNEL_START_NOTE, TunnelCard } from './TunnelCard';

export function TunnelsView() {
  const settings = useSettings();
  if (settings.tunnels.length === 0) {
    return (
      <div className="view">
        <EmptyState icon="tunnel" title="No tunnel profiles yet" actions={<AddPresetButton />}>
          Tunnels keep ports of your workstation or log servers reachable on this computer, for
          tools such as ecflow_ui. The ECMWF preset brings two examples; creating your own arrives
          with the tunnels feature.
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="view">
      <header className="view-header">
        <div>
          <h1 className="view-title">Tunnels</h1>
          <p className="view-subtitle">
            {settings.tunnels.length} {settings.tunnels.length === 1 ? 'profile' : 'profiles'} ·
            none running
          </p>
        </div>
      </header>
      <p className="inline-note">
        <Icon name="info" size={14} />
        {TUNNEL_START_NOTE} Until then the profiles show what will be forwarded.
      </p>
      <div className="tunnel-list">
        {settings.tunnels.map((tunnel) => (
          <TunnelCard
            key={tunnel.name}
            tunnel={tunnel}
            site={settings.sites.find((s) => s.name === tunnel.site)}
          />
        ))}
      </div>
    </div>
  );
}
