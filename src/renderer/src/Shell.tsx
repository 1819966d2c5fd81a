import { useReducer } from 'react';
import { Banners } from './components/Banners';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { TabBar } from './components/TabBar';
import { TabPanels } from './TabPanels';
import { TabsContext } from './state/TabsContext';
import { initialTabs, tabsReducer } from './state/tabs';
import { useTabShortcuts } from './useTabShortcuts';
import { TerminalProvider } from './views/terminal/TerminalContext';

/** The main window: sidebar, banners, tabs and the status bar. */
export function Shell() {
  const [state, dispatch] = useReducer(tabsReducer, initialTabs);
  const tabs = { state, dispatch };
  useTabShortcuts(tabs);
  return (
    <TabsContext.Provider value={tabs}>
      <TerminalProvider>
        <div className="shell">
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <Sidebar />
          <main className="main" id="main" tabIndex={-1}>
            <Banners />
            <TabBar />
            <div className="panels">
              <TabPanels />
            </div>
          </main>
          <StatusBar />
        </div>
      </TerminalProvider>
    </TabsContext.Provider>
  );
}
