import { useRef, useState } from 'react';

/**
 * "Copy sign-in link" for when no browser opened. Where the clipboard is refused (an insecure
 * page, a denied permission) the link is shown in a read-only field, selected, to copy by hand.
 */
export function CopyLink({ url }: { url: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const fieldRef = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setState('copied');
    } catch {
      setState('manual');
      requestAnimationFrame(() => {
        fieldRef.current?.focus();
        fieldRef.current?.select();
      });
    }
  };
  return (
    <>
      <button type="button" className="btn btn-sm" onClick={() => void copy()}>
        {state === 'copied' ? 'Link copied' : 'Copy sign-in link'}
      </button>
      {state === 'manual' && (
        <input
          ref={fieldRef}
          className="input input-sm signin-link-field"
          readOnly
          value={url}
          aria-label="Sign-in link: copy it with Ctrl+C and open it in a browser"
          onFocus={(event) => event.currentTarget.select()}
        />
      )}
    </>
  );
}
