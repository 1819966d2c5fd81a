import { useEffect } from 'react';
import type { TabsApi } from './state/TabsContext';

/**
 * Editor-style tab keys: Ctrl+W closes, Ctrl+Tab / Ctrl+Shift+Tab (and Ctrl+PageDown/PageUp)
 * cycle, Ctrl+1…9 jump. Browsers keep some of these for themselves; the desktop app gets all.
 */
export function useTabShortcuts({ state, dispatch }: TabsApi): void {
  useEffect(() => {
    const focusActiveTab = () =>
      requestAnimationFrame(() =>
        document.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus(),
      );
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (!mod || event.altKey || document.querySelector('dialog[open]')) return;
      // In a terminal Ctrl+W is the shell's delete-word, so there Ctrl+Shift+W closes the tab.
      const inTerminal = event.target instanceof Element && !!event.target.closest('.xterm');
      if (event.key.toLowerCase() === 'w' && event.shiftKey === inTerminal) {
        if (state.activeId) dispatch({ type: 'close', id: state.activeId });
      } else if (event.key === 'Tab' || event.key === 'PageDown' || event.key === 'PageUp') {
        const back = event.key === 'PageUp' || (event.key === 'Tab' && event.shiftKey);
        dispatch({ type: 'cycle', delta: back ? -1 : 1 });
      } else if (/^Digit[1-9]$/.test(event.code) && !event.shiftKey) {
        dispatch({ type: 'activate-index', index: Number(event.code.slice(5)) - 1 });
      } else {
        return;
      }
      event.preventDefault();
      focusActiveTab();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [state.activeId, dispatch]);
}
