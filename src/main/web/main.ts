/**
 * `npm run web`: OneHop in a browser tab, for machines where Electron cannot start and for the
 * end-to-end tests. Prints the URL (with its token) and runs until Ctrl-C.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { resolveDataDir } from '../core';
import { startWebHost } from './server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '0' }, help: { type: 'boolean', default: false } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      "Usage: npm run web [-- --port N]\nServes OneHop on http://127.0.0.1 (loopback only) with a one-time token.\nData directory: ONEHOP_HOME, else the desktop app's.\n",
    );
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535, got "${values.port}"`);
  }
  const version = (
    JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const host = await startWebHost({
    dataDir: resolveDataDir(),
    rendererDir: path.join(root, 'out/renderer'),
    port,
    version,
  });
  process.stdout.write(
    `OneHop (browser mode) is running. Open:\n\n  ${host.url}\n\nData: ${host.core.dataDir}\nPress Ctrl-C to stop.\n`,
  );
  const stop = (): void => {
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`onehop web: ${message}\n`);
  const usage =
    error instanceof UsageError ||
    String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
  process.exit(usage ? 2 : 1);
});
