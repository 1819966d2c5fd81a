import { useState } from 'react';
import { Icon } from '../../components/Icon';
import type { ControllerState, TerminalController } from './terminalController';

function countText(search: ControllerState['search'], query: string): string {
  if (!query || !search) return '';
  if (search.count === 0) return 'No results';
  if (search.index < 0) return `${search.count}+ matches`;
  return `${search.index + 1} of ${search.count}`;
}

/** Ctrl/Cmd+Shift+F: Enter finds the next match, Shift+Enter the previous, Escape closes. */
export function TerminalSearch({
  controller,
  state,
}: {
  controller: TerminalController;
  state: ControllerState;
}) {
  const [query, setQuery] = useState('');
  return (
    <div className="terminal-search" role="search" aria-label="Search the terminal">
      <input
        className="input"
        type="text"
        placeholder="Find"
        aria-label="Find in terminal"
        value={query}
        autoFocus
        spellCheck={false}
        onChange={(event) => {
          setQuery(event.target.value);
          controller.find(event.target.value, 'next', true);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            controller.find(query, event.shiftKey ? 'previous' : 'next');
          } else if (event.key === 'Escape') {
            event.preventDefault();
            controller.closeSearch();
          }
        }}
      />
      <span className="terminal-search-count" aria-live="polite">
        {countText(state.search, query)}
      </span>
      <button
        type="button"
        className="icon-btn"
        aria-label="Previous match"
        title="Previous match (Shift+Enter)"
        onClick={() => controller.find(query, 'previous')}
      >
        <Icon name="chevronUp" size={15} />
      </button>
      <button
        type="button"
        className="icon-btn"
        aria-label="Next match"
        title="Next match (Enter)"
        onClick={() => controller.find(query, 'next')}
      >
        <Icon name="chevronDown" size={15} />
      </button>
      <button
        type="button"
        className="icon-btn"
        aria-label="Close search"
        title="Close (Escape)"
        onClick={() => controller.closeSearch()}
      >
        <Icon name="close" size={13} />
      </button>
    </div>
  );
}
