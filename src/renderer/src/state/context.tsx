import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { OneHopClient } from '../../../shared/contract/client';
import type { Settings } from '../../../shared/model/settings';
import type { AppState, AppStore } from './store';

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore must be used inside <StoreProvider>.');
  return store;
}

export function useClient(): OneHopClient {
  return useStore().client;
}

export function useAppState(): AppState {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** Settings once loaded; views under the shell only render after that. */
export function useSettings(): Settings {
  const { settings } = useAppState();
  if (!settings) throw new Error('Settings are not loaded yet.');
  return settings;
}
