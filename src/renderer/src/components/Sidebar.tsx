import { useAppState, useSettings } from '../state/context';
import { useTabs } from '../state/TabsContext';
import type { TabKind } from '../state/tabs';
import { SiteList } from '../views/sites/SiteList';
import { TshLoginList } from '../views/sites/TshLoginList';
import { Icon, type IconName } from './Icon';
import { Logo } from './Logo';

function NavItem({
  kind,
  icon,
  label,
  count,
}: {
  kind: TabKind;
  icon: IconName;
  label: string;
  count?: number;
}) {
  const { state, dispatch } = useTabs();
  const active = state.activeId === kind;
  return (
    <li>
      <button
        type="button"
        className={active ? 'nav-item nav-item-active' : 'nav-item'}
        aria-current={active ? 'page' : undefined}
        onClick={() => dispatch({ type: 'open', kind })}
      >
        <Icon name={icon} />
        <span className="nav-label">{label}</span>
        {count !== undefined && <span className="nav-count">{count}</span>}
      </button>
    </li>
  );
}

export function Sidebar() {
  const settings = useSettings();
  const { info } = useAppState();
  return (
    <nav className="sidebar" aria-label="OneHop">
      <div className="sidebar-brand">
        <Logo />
        <span className="sidebar-brand-name">OneHop</span>
        {info?.host === 'web' && <span className="sidebar-brand-tag">browser</span>}
      </div>
      <SiteList />
      <TshLoginList />
      <div className="sidebar-section">
        <h2 className="sidebar-heading">Workspace</h2>
        <ul className="nav-list">
          <NavItem kind="hosts" icon="server" label="Hosts" count={settings.hosts.length} />
          <NavItem kind="tunnels" icon="tunnel" label="Tunnels" count={settings.tunnels.length} />
        </ul>
      </div>
      <div className="sidebar-footer">
        <ul className="nav-list">
          <NavItem kind="settings" icon="settings" label="Settings" />
        </ul>
      </div>
    </nav>
  );
}
