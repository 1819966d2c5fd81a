/**
 * Tabs of the main area. Hosts, Tunnels, Settings and "Add site" are singletons that open or
 * focus; each site has at most one detail tab; every terminal is a tab of its own.
 */
export type TabKind = 'hosts' | 'tunnels' | 'settings' | 'add-site';

export type Tab =
  | { id: string; kind: TabKind; title: string }
  | { id: string; kind: 'site'; title: string; site: string }
  | { id: string; kind: 'terminal'; title: string; host: string };

export const siteTabId = (site: string) => `site-${site}`;

export interface TabsState {
  tabs: Tab[];
  activeId: string | null;
}

export type TabsAction =
  | { type: 'open'; kind: TabKind }
  | { type: 'open-site'; site: string; title: string }
  | { type: 'open-terminal'; id: string; title: string; host: string }
  | { type: 'rename'; id: string; title: string }
  | { type: 'close'; id: string }
  | { type: 'activate'; id: string }
  | { type: 'activate-index'; index: number }
  | { type: 'cycle'; delta: 1 | -1 };

const titles: Record<TabKind, string> = {
  hosts: 'Hosts',
  tunnels: 'Tunnels',
  settings: 'Settings',
  'add-site': 'Add site',
};

export const initialTabs: TabsState = {
  tabs: [{ id: 'hosts', kind: 'hosts', title: titles.hosts }],
  activeId: 'hosts',
};

export function tabsReducer(state: TabsState, action: TabsAction): TabsState {
  switch (action.type) {
    case 'open': {
      const id = action.kind;
      if (state.tabs.some((t) => t.id === id)) return { ...state, activeId: id };
      return {
        tabs: [...state.tabs, { id, kind: action.kind, title: titles[action.kind] }],
        activeId: id,
      };
    }
    case 'open-site': {
      const id = siteTabId(action.site);
      if (state.tabs.some((t) => t.id === id)) return { ...state, activeId: id };
      const tab: Tab = { id, kind: 'site', title: action.title, site: action.site };
      return { tabs: [...state.tabs, tab], activeId: id };
    }
    case 'open-terminal': {
      if (state.tabs.some((t) => t.id === action.id)) return { ...state, activeId: action.id };
      const tab: Tab = { id: action.id, kind: 'terminal', title: action.title, host: action.host };
      return { tabs: [...state.tabs, tab], activeId: action.id };
    }
    case 'rename': {
      const tab = state.tabs.find((t) => t.id === action.id);
      if (!tab || tab.title === action.title) return state;
      return {
        ...state,
        tabs: state.tabs.map((t) => (t.id === action.id ? { ...t, title: action.title } : t)),
      };
    }
    case 'close': {
      const index = state.tabs.findIndex((t) => t.id === action.id);
      if (index < 0) return state;
      const tabs = state.tabs.filter((t) => t.id !== action.id);
      if (state.activeId !== action.id) return { ...state, tabs };
      // Like editors do: focus the neighbour on the left, else the new first tab.
      const next = tabs[Math.max(0, index - 1)] ?? null;
      return { tabs, activeId: next ? next.id : null };
    }
    case 'activate':
      return state.tabs.some((t) => t.id === action.id) ? { ...state, activeId: action.id } : state;
    case 'activate-index': {
      // Ctrl+9 means "last tab", as in browsers.
      const tab = action.index >= 8 ? state.tabs.at(-1) : state.tabs[action.index];
      return tab ? { ...state, activeId: tab.id } : state;
    }
    case 'cycle': {
      if (state.tabs.length === 0) return state;
      const index = state.tabs.findIndex((t) => t.id === state.activeId);
      const next = (index + action.delta + state.tabs.length) % state.tabs.length;
      return { ...state, activeId: state.tabs[next]!.id };
    }
  }
}
