import {
  createContext,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { Host } from '../../../../shared/model/settings';
import { useStore } from '../../state/context';
import { useTabs } from '../../state/TabsContext';
import { rememberRecentHost } from '../hosts/recentHosts';
import { HostKeyDialog } from './HostKeyDialog';
import { HostKeyPrompts } from './hostKeyPrompts';
import type { ControllerState, TerminalController } from './terminalController';
import { TerminalManager } from './terminalManager';
import { provisionalTitle } from './terminalText';
import '@xterm/xterm/css/xterm.css';
import './terminal.css';

interface TerminalApi {
  manager: TerminalManager;
  prompts: HostKeyPrompts;
}

const TerminalContext = createContext<TerminalApi | null>(null);

/** Terminal sessions and host key prompts of the shell; closes a session when its tab closes. */
export function TerminalProvider({ children }: { children: ReactNode }) {
  const store = useStore();
  const { state, dispatch } = useTabs();
  const [api] = useState<TerminalApi>(() => ({
    manager: new TerminalManager(store.client, store, (id, title) =>
      dispatch({ type: 'rename', id, title }),
    ),
    prompts: new HostKeyPrompts(store.client, store),
  }));
  useEffect(() => {
    const offs = [api.manager.start(), api.prompts.start()];
    return () => offs.forEach((off) => off());
  }, [api]);
  useEffect(() => {
    api.manager.retain(new Set(state.tabs.filter((t) => t.kind === 'terminal').map((t) => t.id)));
  }, [api, state.tabs]);
  return (
    <TerminalContext.Provider value={api}>
      {children}
      <HostKeyDialog prompts={api.prompts} />
    </TerminalContext.Provider>
  );
}

function useTerminalApi(): TerminalApi {
  const api = useContext(TerminalContext);
  if (!api) throw new Error('Terminal hooks must be used inside <TerminalProvider>.');
  return api;
}

/** Opens a terminal tab to a saved host (and remembers it as recent). */
export function useOpenTerminal(): (host: Host) => void {
  const { manager } = useTerminalApi();
  const { dispatch } = useTabs();
  return (host) => {
    rememberRecentHost(host.name);
    const controller = manager.create({ name: host.name, login: host.login });
    dispatch({
      type: 'open-terminal',
      id: controller.tabId,
      title: provisionalTitle(host),
      host: host.name,
    });
  };
}

export function useTerminalController(tabId: string): TerminalController | undefined {
  return useTerminalApi().manager.get(tabId);
}

const noSubscribe = () => () => undefined;
const noState = () => null;

export function useControllerState(
  controller: TerminalController | undefined,
): ControllerState | null {
  return useSyncExternalStore(
    controller?.subscribe ?? noSubscribe,
    controller?.getSnapshot ?? noState,
  );
}
