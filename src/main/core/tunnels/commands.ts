/** The `tunnels.*` commands: runtime control, and profile edits checked beyond the schema. */
import { ContractError } from '../../../shared/contract';
import type { CommandHandlers } from '../rpc/dispatcher';
import type { EventBus } from '../events/bus';
import type { SettingsStore } from '../settings/store';
import type { TunnelManager } from './manager';
import { validateTunnelProfile } from './validation';

type TunnelCommand =
  | 'tunnels.status'
  | 'tunnels.save'
  | 'tunnels.remove'
  | 'tunnels.start'
  | 'tunnels.stop'
  | 'tunnels.launch';

export function createTunnelHandlers(
  manager: TunnelManager,
  settings: SettingsStore,
  bus: EventBus,
): Pick<CommandHandlers, TunnelCommand> {
  const notFound = (name: string) =>
    new ContractError({
      code: 'not-found',
      message: `There is no tunnel profile named "${name}".`,
    });
  return {
    'tunnels.status': () => ({ tunnels: manager.status() }),
    'tunnels.save': async ({ profile, previousName, allowNetworkBind }) => {
      const existing = settings.get().tunnels;
      if (previousName !== undefined && !existing.some((p) => p.name === previousName)) {
        throw notFound(previousName);
      }
      const issues = validateTunnelProfile(profile, existing, {
        ...(allowNetworkBind === undefined ? {} : { allowNetworkBind }),
        ...(previousName === undefined ? {} : { previousName }),
      });
      if (issues.length > 0) {
        throw new ContractError({
          code: 'invalid-request',
          message: issues.map((i) => i.message).join(' '),
          fields: Object.fromEntries(issues.map((i) => [`profile.${i.field}`, i.message])),
        });
      }
      const replaced = previousName ?? profile.name;
      // A running profile keeps its old listeners until restarted; stop it so none linger.
      if (existing.some((p) => p.name === replaced) && manager.get(replaced).state !== 'stopped') {
        await manager.stop(replaced);
      }
      const updated = settings.update((draft) => {
        const index = draft.tunnels.findIndex((p) => p.name === replaced);
        if (index >= 0) draft.tunnels[index] = profile;
        else draft.tunnels.push(profile);
      });
      bus.emit('settings.changed', { settings: updated });
      return { profile };
    },
    'tunnels.remove': async ({ name }) => {
      if (!settings.get().tunnels.some((p) => p.name === name)) throw notFound(name);
      await manager.stop(name);
      const updated = settings.update((draft) => {
        draft.tunnels = draft.tunnels.filter((p) => p.name !== name);
      });
      bus.emit('settings.changed', { settings: updated });
      return { removed: true as const };
    },
    'tunnels.start': async ({ name }) => ({ tunnel: await manager.start(name) }),
    'tunnels.stop': async ({ name }) => ({ tunnel: await manager.stop(name) }),
    'tunnels.launch': async ({ name }) => ({ tunnel: await manager.launch(name) }),
  };
}
