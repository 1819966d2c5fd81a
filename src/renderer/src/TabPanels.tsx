import { EmptyState } from './components/EmptyState';
import { panelDomId, tabDomId } from './components/TabBar';
import { useTabs } from './state/TabsContext';
import type { Tab } from './state/tabs';
import { HostsView } from './views/hosts/HostsView';
import { AddSiteView } from './views/sites/AddSiteView';
import { SiteView } from './views/sites/SiteView';
import { SettingsView } from './views/settings/SettingsView';
import { TunnelsView } from './views/tunnels/TunnelsView';
import { TerminalView } from './views/terminal/TerminalView';

function TabContent({ tab, active }: { tab: Tab; active: boolean }) {
  switch (tab.kind) {
    case 'hosts':
      return <HostsView active={active} />;
    case 'tunnels':
      return <TunnelsView />;
    case 'settings':
      return <SettingsView />;
    case 'add-site':
      return <AddSiteView />;
    case 'site':
      return <SiteView siteName={tab.site} />;
    case 'terminal':
      return <TerminalView tabId={tab.id} active={active} />;
  }
}

/** Every open tab stays mounted (terminals will need that); only the selected one is shown. */
export function TabPanels() {
  const { state, dispatch } = useTabs();
  if (state.tabs.length === 0) {
    return (
      <div className="panel">
        <EmptyState
          icon="server"
          title="Nothing open"
          actions={
            <>
              <button
                type="button"
                className="btn"
                onClick={() => dispatch({ type: 'open', kind: 'hosts' })}
              >
                Hosts
              </button>
              <button
                type="button"
                className="btn"
                onClick={() => dispatch({ type: 'open', kind: 'tunnels' })}
              >
                Tunnels
              </button>
            </>
          }
        >
          Choose Hosts or Tunnels in the sidebar to open them here.
        </EmptyState>
      </div>
    );
  }
  return (
    <>
      {state.tabs.map((tab) => {
        const active = tab.id === state.activeId;
        return (
          <div
            key={tab.id}
            id={panelDomId(tab)}
            role="tabpanel"
            aria-labelledby={tabDomId(tab)}
            className={tab.kind === 'terminal' ? 'panel panel-terminal' : 'panel'}
            hidden={!active}
            tabIndex={-1}
          >
            <TabContent tab={tab} active={active} />
          </div>
        );
      })}
    </>
  );
}
