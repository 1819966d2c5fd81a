/**
 * The browser-mode host (src/main/web) in the test's own process, on a fresh data directory.
 * Because it runs in this process, the core reads this process's environment (ONEHOP_HOME,
 * BROWSER, HOME, SSH_AUTH_SOCK): those are set for the test file and put back by `close()`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '../../../src/main/core';
import { startWebHost } from '../../../src/main/web/server';

// import.meta.url, not __dirname: the bench (plain Node ESM through tsx) imports this too.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const rendererDir = path.join(root, 'out/renderer');

/** A BROWSER for the core that follows the IdP's redirects and form posts, without a window. */
export const browserStandIn = `node ${path.join(root, 'test/support/browser-stand-in.mjs')}`;

export interface E2eHost {
  /** The page to open, token included. */
  url: string;
  dataDir: string;
  core: Core;
  /** A command through the core, as the renderer sends it; throws on an error result. */
  dispatch(command: string, payload: unknown): Promise<unknown>;
  /** Stops the host, restores the environment and removes the data directory. */
  close(): Promise<void>;
}

export interface E2eHostOptions {
  /** Names the data directory, for whoever finds one left behind. */
  name: string;
  /** Set besides ONEHOP_HOME (which is the data directory) until `close()`. */
  env?: Record<string, string>;
}

export async function startE2eHost(options: E2eHostOptions): Promise<E2eHost> {
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(
      `${rendererDir}/index.html is missing: build the renderer first with "npm run build" (npm test does this).`,
    );
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `onehop-e2e-${options.name}-`));
  const restoreEnv = setEnv({ ...options.env, ONEHOP_HOME: dataDir });
  const cleanUp = () => {
    restoreEnv();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const host = await startWebHost({ dataDir, rendererDir, version: '0.0.0-e2e', log: () => {} });
    return {
      url: host.url,
      dataDir,
      core: host.core,
      async dispatch(command, payload) {
        const result = await host.core.dispatcher.dispatch(command, payload);
        if (!result.ok) throw new Error(`${command}: ${result.error.message}`);
        return result.result;
      },
      async close() {
        try {
          await host.close();
        } finally {
          cleanUp();
        }
      },
    };
  } catch (error) {
    cleanUp();
    throw error;
  }
}

/** Sets the variables and returns what puts every one of them back as it was. */
function setEnv(vars: Record<string, string>): () => void {
  const saved = Object.keys(vars).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, vars);
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
