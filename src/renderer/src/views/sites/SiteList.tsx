import { Icon } from '../../components/Icon';
import { useSettings } from '../../state/context';
import { useTabs } from '../../state/TabsContext';
import { SiteItem } from './SiteItem';

export function SiteList() {
  const { sites } = useSettings();
  const { dispatch } = useTabs();
  return (
    <div className="sidebar-section">
      <div className="sidebar-heading-row">
        <h2 className="sidebar-heading">Sites</h2>
        <button
          type="button"
          className="icon-btn"
          aria-label="Add a site"
          title="Add a site"
          onClick={() => dispatch({ type: 'open', kind: 'add-site' })}
        >
          <Icon name="plus" size={14} />
        </button>
      </div>
      {sites.length === 0 ? (
        <button
          type="button"
          className="sidebar-empty"
          onClick={() => dispatch({ type: 'open', kind: 'add-site' })}
        >
          No sites yet. <span className="link">Add one</span> to sign in and reach its hosts.
        </button>
      ) : (
        <ul className="site-list">
          {sites.map((site) => (
            <SiteItem key={site.name} site={site} />
          ))}
        </ul>
      )}
    </div>
  );
}
