import { useCallback, useEffect, useState } from 'react';
import type { CommandResponse } from '../../../../shared/contract/commands';
import { useClient } from '../../state/context';
import { messageOf } from '../../state/store';
import { ChoiceCard } from './ChoiceCard';
import { FormError } from './FormError';
import { useCommandForm } from './useCommandForm';

type Info = CommandResponse<'sandbox.info'>;

/**
 * The sandbox (`npm run sandbox`): when one runs on this machine, one click adds its site, hosts
 * and tunnels; otherwise the card says how to start it and offers to look again.
 */
export function SandboxCard({ onAdded }: { onAdded: (message: string) => void }) {
  const client = useClient();
  const form = useCommandForm();
  const [info, setInfo] = useState<Info | null>(null);
  const [checking, setChecking] = useState(true);
  const [checkError, setCheckError] = useState<string | null>(null);

  /** Asks the core; state changes only when the answer arrives (never during an effect). */
  const load = useCallback(
    () =>
      client.call('sandbox.info', {}).then(
        (answer) => {
          setInfo(answer);
          setCheckError(null);
          setChecking(false);
        },
        (error: unknown) => {
          setCheckError(messageOf(error));
          setChecking(false);
        },
      ),
    [client],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const check = () => {
    setChecking(true);
    void load();
  };

  const running = info?.running === true && info.descriptor !== null;
  const add = () =>
    form.submit(async () => {
      const added = await client.call('sites.addSandbox', {});
      onAdded(
        `Added the sandbox: ${added.hosts.join(', ')}. Sign in to "${added.site.name}" to open a terminal.`,
      );
    });

  const action = running ? (
    <button type="button" className="btn btn-primary" onClick={add} disabled={form.busy}>
      {form.busy ? 'Adding…' : 'Add the sandbox'}
    </button>
  ) : (
    <button
      type="button"
      className="btn"
      onClick={check}
      disabled={checking}
      aria-describedby="sandbox-note"
    >
      {checking ? 'Looking…' : 'Try again'}
    </button>
  );

  return (
    <ChoiceCard id="card-sandbox" icon="flask" title="Try the sandbox" action={action}>
      <p>A local practice bastion and cluster, to explore OneHop without an account.</p>
      {running && info.descriptor ? (
        <dl className="preset-facts">
          <dt>Proxy</dt>
          <dd>
            <code>127.0.0.1:{info.descriptor.proxy.webPort}</code>
          </dd>
          <dt>Hosts</dt>
          <dd>
            {info.descriptor.preset.hosts.map((host) => (
              <code key={host.name}>{host.name}</code>
            ))}
          </dd>
        </dl>
      ) : (
        !checking && (
          <p id="sandbox-note" className="choice-card-note" role="status">
            {checkError ?? (
              <>
                Start it with <code>npm run sandbox</code> in a terminal, then try again.
                {info?.problem ? ` ${info.problem}` : ''}
              </>
            )}
          </p>
        )
      )}
      <FormError message={form.error} />
    </ChoiceCard>
  );
}
