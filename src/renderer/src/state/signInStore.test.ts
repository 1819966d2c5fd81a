import { describe, expect, it } from 'vitest';
import type { OneHopClient } from '../../../shared/contract/client';
import { ContractError } from '../../../shared/contract/errors';
import type { SiteStatus } from '../../../shared/model/certificate';
import { ConnectionMonitor } from '../api/connection';
import { SignInStore } from './signInStore';

const status = (site: string, state: SiteStatus['state'] = 'signed-out'): SiteStatus => ({
  site,
  kind: 'teleport',
  proxy: 'p:443',
  state,
  user: null,
  logins: [],
  validAfter: null,
  validBefore: null,
  remainingSeconds: null,
  keyType: null,
  caFingerprint: null,
  permissions: { pty: false, portForwarding: false, x11Forwarding: false, agentForwarding: false },
  obtainedAt: null,
  renewedAutomaticallyAt: null,
  canRenewSilently: false,
  signingIn: null,
  problem: null,
});

function fakeClient(start: () => Promise<unknown>) {
  const listeners = new Set<(payload: { sites: SiteStatus[] }) => void>();
  const client = {
    call: (command: string) => {
      if (command === 'signin.status')
        return Promise.resolve({
          sites: [status('a'), status('b')],
          vault: { mode: 'keychain', warning: null },
        });
      if (command === 'signin.start') return start();
      return Promise.resolve({ cancelled: true });
    },
    on: (_event: string, listener: (payload: { sites: SiteStatus[] }) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as OneHopClient;
  return { client, emit: (sites: SiteStatus[]) => listeners.forEach((l) => l({ sites })) };
}

describe('SignInStore', () => {
  it('loads, then follows status events', async () => {
    const { client, emit } = fakeClient(() => Promise.reject(new Error('x')));
    const store = new SignInStore(client, new ConnectionMonitor({ status: 'connected' }));
    store.start();
    await new Promise((r) => setTimeout(r, 0));
    expect(Object.keys(store.getSnapshot().sites)).toEqual(['a', 'b']);
    expect(store.getSnapshot().vault?.mode).toBe('keychain');
    emit([status('a', 'valid'), status('b')]);
    expect(store.getSnapshot().sites.a?.state).toBe('valid');
  });

  it('records a failed sign-in and not a cancelled one', async () => {
    let next: Error = new ContractError({ code: 'remote', message: 'The proxy refused.' });
    const { client } = fakeClient(() => Promise.reject(next));
    const store = new SignInStore(client, new ConnectionMonitor({ status: 'connected' }));
    expect(await store.signIn('a')).toBe('failed');
    expect(store.getSnapshot().errors.a).toBe('The proxy refused.');
    next = new ContractError({ code: 'cancelled', message: 'Sign-in cancelled.' });
    expect(await store.signIn('a')).toBe('cancelled');
    expect(store.getSnapshot().errors.a).toBeUndefined();
  });
});
