/**
 * A Teleport cluster to sign in to: the emulator, with an OIDC IdP that knows it as a client.
 * With BROWSER set to the stand-in (webHost.ts), "Sign in" completes without anyone clicking.
 */
import { startIdp, webClient, type Idp } from '../../support/idp';
import {
  startTeleportEmulator,
  type TeleportEmulator,
  type TeleportEmulatorOptions,
} from '../../support/teleport/emulator';

export interface TeleportSite {
  proxy: TeleportEmulator;
  idp: Idp;
  /** `127.0.0.1:<port>`, the address a user types when adding the site. */
  address: string;
  close(): Promise<void>;
}

/** Teleport 17.2.0 (balanced-v1 keys) unless `options` say otherwise. */
export async function startTeleportSite(
  options: Omit<TeleportEmulatorOptions, 'idp' | 'version'> & { version?: string },
): Promise<TeleportSite> {
  const idp = await startIdp({ clients: [] });
  const clientId = 'teleport-e2e';
  const clientSecret = 'secret-e2e-0123456789abcdef';
  let proxy: TeleportEmulator | undefined;
  try {
    proxy = await startTeleportEmulator({
      version: '17.2.0',
      suite: 'balanced-v1',
      ...options,
      idp: { issuer: idp.issuer, clientId, clientSecret },
    });
    await idp.registerClient(webClient(clientId, clientSecret, [proxy.oidcRedirectUri]));
  } catch (error) {
    await proxy?.close();
    await idp.close();
    throw error;
  }
  const started = proxy;
  return {
    proxy: started,
    idp,
    address: `127.0.0.1:${started.port}`,
    async close() {
      try {
        await started.close();
      } finally {
        await idp.close();
      }
    },
  };
}
