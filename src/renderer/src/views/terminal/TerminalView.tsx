import { useEffect, useRef } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { useTabs } from '../../state/TabsContext';
import { TerminalOverlay } from './TerminalOverlay';
import { TerminalSearch } from './TerminalSearch';
import { useControllerState, useTerminalController } from './TerminalContext';

/** A terminal tab: the xterm surface, the search bar and the connection overlay. */
export function TerminalView({ tabId, active }: { tabId: string; active: boolean }) {
  const controller = useTerminalController(tabId);
  const state = useControllerState(controller);
  const surface = useRef<HTMLDivElement>(null);
  const { dispatch } = useTabs();

  useEffect(() => {
    if (!controller || !surface.current) return;
    return controller.attach(surface.current);
  }, [controller]);

  useEffect(() => {
    if (active) controller?.focus();
  }, [active, controller]);

  if (!controller || !state) {
    // Only after a window reload: the session belongs to the previous page.
    return (
      <EmptyState
        icon="terminal"
        title="This terminal is gone"
        actions={
          <button
            type="button"
            className="btn"
            onClick={() => dispatch({ type: 'close', id: tabId })}
          >
            Close tab
          </button>
        }
      >
        Open the host again from the Hosts view.
      </EmptyState>
    );
  }
  return (
    <div
      className="terminal-view"
      data-terminal-state={state.info?.state ?? 'opening'}
      data-renderer={state.renderer}
    >
      <div className="terminal-surface" ref={surface} />
      {state.searchOpen && <TerminalSearch controller={controller} state={state} />}
      <TerminalOverlay
        controller={controller}
        state={state}
        onClose={() => dispatch({ type: 'close', id: tabId })}
      />
    </div>
  );
}
