import { useState } from 'react';
import { siteAddress, type Site } from '../../../../shared/model/settings';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Icon } from '../../components/Icon';
import { useClient, useSettings, useStore } from '../../state/context';
import { messageOf } from '../../state/store';
import { useTabs } from '../../state/TabsContext';
import { SettingsSection } from './SettingsSection';

export function SitesSettings() {
  const settings = useSettings();
  const client = useClient();
  const store = useStore();
  const { dispatch } = useTabs();
  const [removing, setRemoving] = useState<Site | null>(null);
  const [busy, setBusy] = useState(false);

  const counts = (site: Site) => ({
    hosts: settings.hosts.filter((h) => h.site === site.name).length,
    tunnels: settings.tunnels.filter((t) => t.site === site.name).length,
  });

  const confirm = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      const { hostsRemoved, tunnelsRemoved } = await client.call('sites.remove', {
        name: removing.name,
      });
      store.toast(
        `Removed ${removing.title ?? removing.name} with ${hostsRemoved} hosts and ${tunnelsRemoved} tunnel profiles.`,
        'success',
      );
      setRemoving(null);
    } catch (error) {
      store.toast(messageOf(error), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <SettingsSection
      id="sites"
      title="Sites"
      description="Removing a site also removes its hosts and tunnel profiles."
    >
      {settings.sites.length === 0 ? (
        <p className="muted">
          No sites.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => dispatch({ type: 'open', kind: 'add-site' })}
          >
            Add a site
          </button>
        </p>
      ) : (
        <ul className="settings-list">
          {settings.sites.map((site) => {
            const { hosts, tunnels } = counts(site);
            return (
              <li key={site.name} className="settings-list-item">
                <div className="settings-list-main">
                  <span className="settings-list-title">{site.title ?? site.name}</span>
                  <span className="muted mono">
                    {site.kind === 'teleport' ? 'Teleport' : 'OIDC + SSH CA'} · {siteAddress(site)}
                  </span>
                </div>
                <span className="muted">
                  {hosts} {hosts === 1 ? 'host' : 'hosts'}, {tunnels}{' '}
                  {tunnels === 1 ? 'tunnel' : 'tunnels'}
                </span>
                <button
                  type="button"
                  className="btn btn-sm btn-danger-ghost"
                  onClick={() => setRemoving(site)}
                >
                  <Icon name="trash" size={14} />
                  Remove…
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.title ?? removing.name}?`}
          confirmLabel="Remove site"
          danger
          busy={busy}
          onCancel={() => setRemoving(null)}
          onConfirm={() => void confirm()}
        >
          <p>
            This removes the site <strong>{removing.name}</strong> ({siteAddress(removing)}), its{' '}
            {counts(removing).hosts} hosts and {counts(removing).tunnels} tunnel profiles from
            OneHop. Nothing changes on the servers; you can add the site again later.
          </p>
        </ConfirmDialog>
      )}
    </SettingsSection>
  );
}
