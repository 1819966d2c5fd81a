import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { SiteStatus } from '../../../shared/model/certificate';
import type { SignInState, SignInStore } from './signInStore';

const SignInContext = createContext<SignInStore | null>(null);

export function SignInProvider({ store, children }: { store: SignInStore; children: ReactNode }) {
  return <SignInContext.Provider value={store}>{children}</SignInContext.Provider>;
}

export function useSignInStore(): SignInStore {
  const store = useContext(SignInContext);
  if (!store) throw new Error('useSignInStore must be used inside <SignInProvider>.');
  return store;
}

/** Certificate status of every site, kept current by the core's `signin.status` events. */
export function useSignInStatus(): SignInState {
  const store = useSignInStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** One site's status, or null before the first answer (or for a site the core does not know). */
export function useSiteStatus(site: string): SiteStatus | null {
  return useSignInStatus().sites[site] ?? null;
}
