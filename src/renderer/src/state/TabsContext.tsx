import { createContext, useContext, type Dispatch } from 'react';
import type { TabsAction, TabsState } from './tabs';

export interface TabsApi {
  state: TabsState;
  dispatch: Dispatch<TabsAction>;
}

export const TabsContext = createContext<TabsApi | null>(null);

export function useTabs(): TabsApi {
  const tabs = useContext(TabsContext);
  if (!tabs) throw new Error('useTabs must be used inside <TabsContext.Provider>.');
  return tabs;
}
