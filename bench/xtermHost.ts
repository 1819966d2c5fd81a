/**
 * The browser-mode host for the xterm phase (bench/xterm.ts), in its own process (forked with an
 * IPC channel): the e2e harness's `startE2eHost` — the web host and the core, nothing else — so
 * the RSS it reports is the main process's own, not the orchestrator's Chromium driver, Teleport
 * emulator or IdP.
 */
import { browserStandIn, startE2eHost, type E2eHost } from '../test/e2e/support/webHost';
import type { MemorySample } from './protocol';
import { sampleMemory } from './memory';

export interface XtermHostOps {
  start: { args: Record<string, never>; result: { url: string; dataDir: string } };
  dispatch: { args: { command: string; payload: unknown }; result: unknown };
  memory: { args: Record<string, never>; result: MemorySample };
  shutdown: { args: Record<string, never>; result: null };
}

export type XtermHostOp = keyof XtermHostOps;

export interface XtermHostRequest {
  id: number;
  op: XtermHostOp;
  args: unknown;
}

let host: E2eHost | undefined;

function required(): E2eHost {
  if (!host) throw new Error('The web host is not started (start first).');
  return host;
}

async function handle(request: XtermHostRequest): Promise<unknown> {
  switch (request.op) {
    case 'start':
      host ??= await startE2eHost({ name: 'bench-xterm', env: { BROWSER: browserStandIn } });
      return { url: host.url, dataDir: host.dataDir };
    case 'dispatch': {
      const { command, payload } = request.args as XtermHostOps['dispatch']['args'];
      return required().dispatch(command, payload);
    }
    case 'memory':
      return sampleMemory();
    case 'shutdown':
      // close() also removes the data directory.
      await host?.close();
      host = undefined;
      setTimeout(() => process.exit(0), 50);
      return null;
  }
}

process.on('message', (message: XtermHostRequest) => {
  void handle(message).then(
    (result) => process.send?.({ id: message.id, ok: true, result }),
    (error: unknown) =>
      process.send?.({
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});
// The orchestrator went away: close the host (its data directory) and do not linger.
process.on('disconnect', () => {
  void (host?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
