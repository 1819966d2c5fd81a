import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { HostKeyPrompt } from '../../../../shared/model/terminal';
import { Icon } from '../../components/Icon';
import type { HostKeyAnswer, HostKeyPrompts } from './hostKeyPrompts';

const hopLabels: Record<HostKeyPrompt['hop'], string> = {
  jump: "The site's proxy (jump host)",
  target: 'The host you are opening',
  direct: 'The host, dialled directly',
};

/** The oldest open host key question as a modal dialog; Escape answers Cancel. */
export function HostKeyDialog({ prompts }: { prompts: HostKeyPrompts }) {
  const queue = useSyncExternalStore(prompts.subscribe, prompts.getSnapshot);
  const prompt = queue[0];
  if (!prompt) return null;
  return (
    <HostKeyQuestion
      key={prompt.id}
      prompt={prompt}
      onAnswer={(answer) => void prompts.answer(prompt.id, answer)}
    />
  );
}

function HostKeyQuestion({
  prompt,
  onAnswer,
}: {
  prompt: HostKeyPrompt;
  onAnswer: (answer: HostKeyAnswer) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    // The native modal dialog makes the rest of the page inert and keeps Tab inside it.
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const address = prompt.port === 22 ? prompt.host : `${prompt.host}:${prompt.port}`;
  return (
    <dialog
      ref={ref}
      className="dialog hostkey-dialog"
      aria-labelledby="hostkey-title"
      aria-describedby="hostkey-intro"
      onCancel={(event) => {
        event.preventDefault();
        onAnswer('reject');
      }}
    >
      <h2 id="hostkey-title" className="dialog-title">
        Unknown host key for {address}
      </h2>
      <div className="dialog-body">
        <p id="hostkey-intro">
          OneHop has not seen this host before and nobody it trusts vouches for its key. Compare the
          fingerprint with the one your site publishes before you trust it.
        </p>
        <dl className="hostkey-facts">
          <dt>Host</dt>
          <dd className="mono">{address}</dd>
          <dt>Which hop</dt>
          <dd>{hopLabels[prompt.hop]}</dd>
          <dt>Key type</dt>
          <dd className="mono">{prompt.keyType}</dd>
          <dt>Fingerprint</dt>
          <dd className="mono hostkey-fingerprint" data-testid="hostkey-fingerprint">
            {prompt.fingerprint}
          </dd>
        </dl>
        {prompt.untrustedCaFingerprint && (
          <p className="hostkey-warning" role="alert">
            <Icon name="warning" size={14} />
            <span>
              The host presented a certificate from a CA this site does not trust (
              <span className="mono">{prompt.untrustedCaFingerprint}</span>). It may belong to
              another cluster, or someone may be intercepting the connection.
            </span>
          </p>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={() => onAnswer('reject')} autoFocus>
          Cancel
        </button>
        <button type="button" className="btn" onClick={() => onAnswer('once')}>
          Trust once
        </button>
        <button type="button" className="btn btn-primary" onClick={() => onAnswer('remember')}>
          Trust and remember
        </button>
      </div>
    </dialog>
  );
}
