import { useRef, useState } from 'react';
import { useStore } from '../../state/context';

/**
 * The generated configuration, folded away until asked for, with a Copy button. Where the
 * clipboard is refused the text is selected for Ctrl+C instead.
 */
export function ConfigBlock({ text }: { text: string }) {
  const store = useStore();
  const preRef = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      const pre = preRef.current;
      const selection = window.getSelection();
      if (pre && selection) {
        selection.selectAllChildren(pre);
        store.toast('The clipboard is not available here: press Ctrl+C to copy the selection.');
      }
    }
  };
  return (
    <details className="handoff-config">
      <summary>Show the generated configuration</summary>
      <div className="handoff-config-bar">
        <span className="muted">Paste it into your own config, or use it as it is.</span>
        <button type="button" className="btn btn-sm" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre ref={preRef} className="handoff-config-text" tabIndex={0}>
        {text}
      </pre>
    </details>
  );
}
