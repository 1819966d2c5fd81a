import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Icon } from '../../components/Icon';
import { useClient, useStore } from '../../state/context';
import { messageOf } from '../../state/store';
import { includeBlock, sshTargets } from './handoffModel';
import type { HandoffConfig } from './useHandoffConfig';

/**
 * The one optional edit of the user's own ~/.ssh/config: a marked Include block at the top,
 * added only after a confirmation that says exactly what changes, and removable again.
 */
export function IncludeStep({
  config,
  offer,
  onOfferDone,
  onChanged,
}: {
  config: HandoffConfig;
  /** Open the confirmation at once (the user just said yes to the hand-off). */
  offer: boolean;
  onOfferDone: () => void;
  onChanged: () => void;
}) {
  const client = useClient();
  const store = useStore();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const example = sshTargets(config.text, 1)[0];
  const open = confirming || (offer && !config.includeInstalled);
  const close = () => {
    setConfirming(false);
    onOfferDone();
  };

  const run = async (command: 'openssh.installInclude' | 'openssh.removeInclude') => {
    setBusy(true);
    try {
      const result = await client.call(command, {});
      const done =
        command === 'openssh.installInclude'
          ? `Added the Include to ${result.path}.`
          : `Removed OneHop's Include from ${result.path}.`;
      store.toast(
        result.backupPath ? `${done} The previous file is saved as ${result.backupPath}.` : done,
        'success',
      );
    } catch (caught) {
      store.toast(messageOf(caught), 'error');
    } finally {
      setBusy(false);
      close();
      onChanged();
    }
  };

  return (
    <div className="handoff-include" data-installed={config.includeInstalled}>
      {config.includeInstalled ? (
        <>
          <p>
            <Icon name="check" size={14} className="handoff-ok" /> <code>~/.ssh/config</code>{' '}
            includes OneHop&apos;s configuration
            {example ? (
              <>
                : <code>ssh {example}</code> works as it is.
              </>
            ) : (
              '.'
            )}
          </p>
          <button
            type="button"
            className="btn btn-sm"
            disabled={busy}
            onClick={() => void run('openssh.removeInclude')}
          >
            Remove the Include
          </button>
        </>
      ) : (
        <>
          <p>
            Not included yet: use <code>ssh -F {config.path}</code>, or let OneHop add a marked
            Include line to your <code>~/.ssh/config</code>.
          </p>
          <button type="button" className="btn btn-sm" onClick={() => setConfirming(true)}>
            Add Include to ~/.ssh/config
          </button>
        </>
      )}
      {open && (
        <ConfirmDialog
          title="Add the Include to ~/.ssh/config?"
          confirmLabel="Add the Include"
          busy={busy}
          onConfirm={() => void run('openssh.installInclude')}
          onCancel={close}
        >
          <p>OneHop adds this marked block at the very top of your ~/.ssh/config:</p>
          <pre className="handoff-include-block">{includeBlock(config.path)}</pre>
          <ul className="handoff-include-facts">
            <li>A backup copy of the file is written next to it first.</li>
            <li>Nothing else in the file changes.</li>
            <li>
              &ldquo;Remove the Include&rdquo; takes out exactly this block again, leaving the file
              as it was.
            </li>
          </ul>
        </ConfirmDialog>
      )}
    </div>
  );
}
