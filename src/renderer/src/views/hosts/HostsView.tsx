import { useMemo, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/Icon';
import { Kbd } from '../../components/Kbd';
import { useSettings } from '../../state/context';
import { useTabs } from '../../state/TabsContext';
import { AddPresetButton } from '../sites/AddPresetButton';
import { filterHosts, groupHosts } from './filterHosts';
import { HostGroup } from './HostGroup';
import { HostSearch } from './HostSearch';

export function HostsView({ active }: { active: boolean }) {
  const settings = useSettings();
  const { dispatch } = useTabs();
  const [query, setQuery] = useState('');
  const [favouritesOnly, setFavouritesOnly] = useState(false);
  const filtered = useMemo(
    () => filterHosts(settings.hosts, query, favouritesOnly),
    [settings.hosts, query, favouritesOnly],
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
            </>
          }
        >
          Add the ECMWF preset or a site to see its hosts. Presets bring their login nodes with
          them.
        </EmptyState>
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
        </div>
      </header>
      {groups.length === 0 ? (
        <EmptyState icon="search" title="No matching hosts">
          {favouritesOnly && !query
            ? 'No favourites yet. Press F on a host, or click its star, to keep it at the top.'
            : `Nothing matches "${query}". Try part of the name, or press Escape in the filter to clear it.`}
        </EmptyState>
      ) : (
        groups.map((group) => <HostGroup key={group.siteName ?? '(none)'} group={group} />)
      )}
      <p className="view-hints">
        <Kbd>↑</Kbd> <Kbd>↓</Kbd> move · <Kbd>Enter</Kbd> open terminal · <Kbd>F</Kbd> favourite ·{' '}
        <Kbd>/</Kbd> filter
      </p>
    </div>
  );
}
