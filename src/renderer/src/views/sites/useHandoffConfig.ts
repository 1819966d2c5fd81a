import { useCallback, useEffect, useState } from 'react';
import type { CommandResponse } from '../../../../shared/contract/commands';
import { useAppState, useClient } from '../../state/context';
import { messageOf } from '../../state/store';

export type HandoffConfig = CommandResponse<'openssh.config'>;

/**
 * The generated OpenSSH configuration of one site (all of it, and whether ~/.ssh/config includes
 * it). Loaded again when anything it depends on changes. The core refreshes the files on its own
 * right after a sign-in, so a fresh certificate is also re-read a moment later: the first answer
 * may predate that refresh and name the wrong credential mode.
 */
export function useHandoffConfig(
  site: string,
  signedIn: boolean,
  changeKey: string,
): { config: HandoffConfig | null; error: string | null; reload: () => void } {
  const client = useClient();
  const { notices, settings } = useAppState();
  const [config, setConfig] = useState<HandoffConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const reload = useCallback(() => setReloads((n) => n + 1), []);
  // A hand-off notice for this site means the core just wrote (or failed to write) its files.
  const notice = notices.find((n) => n.id === `handoff-${site}`)?.message ?? '';

  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      try {
        // Without a certificate only the Include state is known; the text needs one.
        const next = await client.call('openssh.config', signedIn ? { site } : {});
        if (!cancelled) {
          setConfig(next);
          setError(null);
        }
      } catch (caught) {
        if (!cancelled) setError(messageOf(caught));
      }
    };
    void load();
    const again = signedIn ? setTimeout(() => void load(), 1500) : undefined;
    return () => {
      cancelled = true;
      clearTimeout(again);
    };
  }, [client, site, signedIn, changeKey, notice, settings, reloads]);

  return { config, error, reload };
}
