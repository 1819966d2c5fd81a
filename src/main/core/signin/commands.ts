/** Command handlers for sign-in: status, start, cancel, sign out. */
import type { CommandHandlers } from '../rpc/dispatcher';
import type { SignInService } from './service';

type SignInCommand = 'signin.status' | 'signin.start' | 'signin.cancel' | 'signin.signOut';

export function createSignInHandlers(service: SignInService): Pick<CommandHandlers, SignInCommand> {
  return {
    'signin.status': async () => {
      const sites = await service.statuses();
      const vault = await service.vaultInfo().catch((error: unknown) => ({
        mode: 'unopened' as const,
        warning: error instanceof Error ? error.message : String(error),
      }));
      return { sites, vault };
    },
    'signin.start': ({ site, ttlMs, connector }) => service.signIn(site, { ttlMs, connector }),
    'signin.cancel': ({ site }) => ({ cancelled: service.cancel(site) }),
    'signin.signOut': async ({ site }) => ({ status: await service.signOut(site) }),
  };
}
