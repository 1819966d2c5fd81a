import { useControllerState, useTerminalController } from './TerminalContext';
import { stateLabels } from './terminalText';

/** The coloured dot in a terminal tab, with its state in words for screen readers. */
export function TerminalTabState({ tabId }: { tabId: string }) {
  const state = useControllerState(useTerminalController(tabId));
  const terminalState = state?.openError ? 'disconnected' : (state?.info?.state ?? 'connecting');
  const label = state?.openError ? 'Failed' : stateLabels[terminalState];
  return (
    <>
      <span
        className={`term-dot term-dot-${terminalState}`}
        data-testid="terminal-tab-state"
        data-state={terminalState}
        title={label}
        aria-hidden="true"
      />
      <span className="visually-hidden">, {label.toLowerCase()}</span>
    </>
  );
}
