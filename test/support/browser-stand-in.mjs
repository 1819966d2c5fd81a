#!/usr/bin/env node
// A `BROWSER` command for tests, e2e and the sandbox: `BROWSER="node test/support/browser-stand-in.mjs"`.
// It visits the one URL it is given with test/support/browserStandIn.ts (loopback only, follows
// redirects, meta refreshes and form posts until the app's /callback) and exits: 0 on success,
// 1 with one line on stderr otherwise. It never reads stdin and always ends within the timeout
// (BROWSER_STAND_IN_TIMEOUT_MS, default 60 s), so a caller may spawn it detached and not wait.
import { register } from 'tsx/esm/api';

const url = process.argv[2];
if (!url || process.argv.length > 3) {
  process.stderr.write('usage: browser-stand-in.mjs <url>\n');
  process.exit(1);
}
const timeoutMs = Number(process.env.BROWSER_STAND_IN_TIMEOUT_MS) || 60_000;

try {
  const tsx = register({ namespace: 'onehop-browser-stand-in', tsconfig: false });
  const { visit } = await tsx.import('./browserStandIn.ts', import.meta.url);
  const result = await visit(url, { timeoutMs });
  if (!result.reachedCallback && result.status >= 400) {
    process.stderr.write(`browser stand-in: ${result.finalUrl} answered HTTP ${result.status}\n`);
    process.exit(1);
  }
  process.exit(0);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`browser stand-in: ${message.split('\n')[0]}\n`);
  process.exit(1);
}
