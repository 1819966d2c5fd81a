import { useMemo, useState } from 'react';
import type { Host } from '../../../../shared/model/settings';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/Icon';
import { Kbd } from '../../components/Kbd';
import { useClient, useSettings, useStore } from '../../state/context';
import { messageOf } from '../../state/store';
import { useTabs } from '../../state/TabsContext';
import { AddPresetButton } from '../sites/AddPresetButton';
import { filterHosts, groupHosts } from './filterHosts';
import { HostGroup } from './HostGroup';
import { HostEditor } from './HostEditor';
import { ImportDialog } from './ImportDialog';
import type { HostActions } from './HostRow';
import { HostSearch } from './HostSearch';
import { renameRecentHost, useRecentHosts } from './recentHosts';
import './hosts.css';

export function HostsView({ active }: { active: boolean }) {
  const settings = useSettings();
  const { dispatch } = useTabs();
  const [query, setQuery] = useState('');
  const [favouritesOnly, setFavouritesOnly] = useState(false);
  const [editing, setEditing] = useState<Host | 'new' | null>(null);
  const [removing, setRemoving] = useState<Host | null>(null);
  const [importing, setImporting] = useState(false);
  const recentNames = useRecentHosts();
  const client = useClient();
  const store = useStore();
  const actions: HostActions = {
    edit: (host) => setEditing(host),
    remove: (host) => {
      setEditing(null);
      setRemoving(host);
    },
  };
  const remove = async (host: Host) => {
    try {
      await client.call('hosts.remove', { name: host.name });
      renameRecentHost(host.name, null);
      store.toast(`Removed ${host.name}.`, 'success');
    } catch (error) {
      store.toast(messageOf(error), 'error');
    }
    setRemoving(null);
  };
  const dialogs = (
    <>
      {editing && (
        <HostEditor
          host={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onRemove={actions.remove}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove host"
          danger
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        >
          OneHop forgets this host. Open terminals to it stay open; nothing on the host changes.
        </ConfirmDialog>
      )}
    </>
  );
  // Keyed, so the dialog (and its summary) survives the switch from the empty state to the list
  // that its own import causes: both layouts share the root <div>.
  const importDialog = importing && (
    <ImportDialog key="import" onClose={() => setImporting(false)} />
  );
  const filtered = useMemo(
    () => filterHosts(settings.hosts, query, favouritesOnly),
    [settings.hosts, query, favouritesOnly],
  );
  // Recent hosts on top, only in the unfiltered list (a filter is a search, not a browse).
  const recent = useMemo(
    () =>
      query || favouritesOnly
        ? []
        : recentNames.flatMap((name) => settings.hosts.filter((h) => h.name === name)),
    [recentNames, settings.hosts, query, favouritesOnly],
  );
  const groups = useMemo(
    () =>
      groupHosts(filtered, settings.sites).filter(
        (g) => g.hosts.length > 0 || (!query && !favouritesOnly),
      ),
    [filtered, settings.sites, query, favouritesOnly],
  );

  if (settings.hosts.length === 0) {
    return (
      <div className="view">
        <EmptyState
          icon="server"
          title="No hosts yet"
          actions={
            <>
              <AddPresetButton />
              <button
                type="button"
                className="btn"
                onClick={() => dispatch({ type: 'open', kind: 'add-site' })}
              >
                Add a site…
              </button>
              <button type="button" className="btn" onClick={() => setEditing('new')}>
                Add a host…
              </button>
              <button type="button" className="btn" onClick={() => setImporting(true)}>
                Import from ~/.ssh/config…
              </button>
            </>
          }
        >
          Add the ECMWF preset or a site to see its hosts. Presets bring their login nodes with
          them.
        </EmptyState>
        {dialogs}
        {importDialog}
      </div>
    );
  }

  return (
    <div className="view">
      <header className="view-header">
        <div>
          <h1 className="view-title">Hosts</h1>
          <p className="view-subtitle">
            {filtered.length === settings.hosts.length
              ? `${settings.hosts.length} ${settings.hosts.length === 1 ? 'host' : 'hosts'}`
              : `${filtered.length} of ${settings.hosts.length} hosts`}{' '}
            across {settings.sites.length} {settings.sites.length === 1 ? 'site' : 'sites'}
          </p>
        </div>
        <div className="toolbar">
          <HostSearch value={query} onChange={setQuery} active={active} />
          <button
            type="button"
            className={favouritesOnly ? 'btn btn-toggle btn-toggle-on' : 'btn btn-toggle'}
            aria-pressed={favouritesOnly}
            onClick={() => setFavouritesOnly((on) => !on)}
          >
            <Icon name="star" size={14} />
            Favourites
          </button>
          <button type="button" className="btn" onClick={() => setImporting(true)}>
            <Icon name="folder" size={14} />
            Import from ~/.ssh/config
          </button>
          <button type="button" className="btn" onClick={() => setEditing('new')}>
            <Icon name="plus" size={14} />
            Add host
          </button>
        </div>
      </header>
      {groups.length === 0 ? (
        <EmptyState icon="search" title="No matching hosts">
          {favouritesOnly && !query
            ? 'No favourites yet. Press F on a host, or click its star, to keep it at the top.'
            : `Nothing matches "${query}". Try part of the name, or press Escape in the filter to clear it.`}
        </EmptyState>
      ) : (
        <>
          {recent.length > 0 && (
            <HostGroup
              recent
              actions={actions}
              group={{ siteName: null, site: undefined, hosts: recent }}
            />
          )}
          {groups.map((group) => (
            <HostGroup key={group.siteName ?? '(none)'} group={group} actions={actions} />
          ))}
        </>
      )}
      <p className="view-hints">
        <Kbd>↑</Kbd> <Kbd>↓</Kbd> move · <Kbd>Enter</Kbd> open terminal · <Kbd>F</Kbd> favourite ·{' '}
        <Kbd>E</Kbd> edit · <Kbd>/</Kbd> filter
      </p>
      {dialogs}
      {importDialog}
    </div>
  );
}
