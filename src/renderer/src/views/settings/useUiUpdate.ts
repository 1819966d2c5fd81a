import type { CommandRequest } from '../../../../shared/contract/commands';
import { useClient, useStore } from '../../state/context';
import { messageOf } from '../../state/store';

/** Saves a UI preference at once; the change comes back through `settings.changed`. */
export function useUiUpdate(): (patch: CommandRequest<'ui.update'>) => Promise<boolean> {
  const client = useClient();
  const store = useStore();
  return async (patch) => {
    try {
      await client.call('ui.update', patch);
      return true;
    } catch (error) {
      store.toast(messageOf(error), 'error');
      return false;
    }
  };
}
