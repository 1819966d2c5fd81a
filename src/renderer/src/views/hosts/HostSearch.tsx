import { useEffect, useRef } from 'react';
import { Icon } from '../../components/Icon';
import { Kbd } from '../../components/Kbd';

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/** The filter box; "/" focuses it from anywhere in the Hosts view, Escape clears it. */
export function HostSearch({
  value,
  onChange,
  active,
}: {
  value: string;
  onChange: (value: string) => void;
  active: boolean;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (
        event.key === '/' &&
        !event.ctrlKey &&
        !event.metaKey &&
        !event.altKey &&
        !isTyping(event.target)
      ) {
        event.preventDefault();
        ref.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);
  return (
    <div className="search">
      <Icon name="search" className="search-icon" />
      <input
        ref={ref}
        type="search"
        className="input search-input"
        placeholder="Filter hosts by name"
        aria-label="Filter hosts by name or host name"
        aria-keyshortcuts="/"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && value) {
            event.preventDefault();
            onChange('');
          }
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            document.querySelector<HTMLElement>('[data-host-row]')?.focus();
          }
        }}
        spellCheck={false}
      />
      {!value && <Kbd>/</Kbd>}
    </div>
  );
}
