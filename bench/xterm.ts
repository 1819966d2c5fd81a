/**
 * The xterm phase: MB/s rendered by xterm in Chromium through the browser-mode host, reported
 * (OpenSSH has nothing to compare with). Uses the e2e harness as terminal.e2e.test.ts does: sign
 * in through the Teleport emulator (the BROWSER stand-in does the IdP step), a saved `direct` host
 * on an sshd that trusts the emulator's user CA, the host key dialog, then a terminal tab.
 *
 * The web host runs in its own process (bench/xtermHost.ts) so its RSS is its own. Chromium runs
 * without WebGL, as in the e2e: xterm's DOM renderer then holds the visible rows, and the end
 * marker counts as rendered once a row of `.xterm-rows` shows it. The renderer's terminal.ack
 * flow control keeps the core from running ahead of what xterm has parsed.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Browser } from 'playwright-core';
import { startSshd, type SshdServer } from '../test/support/sshd';
import { launchChromium, openPage, type WatchedPage } from '../test/e2e/support/browser';
import { startTeleportSite, type TeleportSite } from '../test/e2e/support/teleportSite';
import { waitForLine } from '../test/e2e/support/terminal';
import type { MemorySample } from './protocol';
import { deltaMib, mbps, median, mib, rate, type Row } from './report';
import type { XtermHostOp, XtermHostOps } from './xtermHost';

/** Bytes `head -c` reads; base64 makes 4/3 of that in text. ~27 MB of text. */
const SOURCE_BYTES = 20_000_000;
const WARMUP_BYTES = 2_000_000;
const WIDTH = 120;
const REPS = 3;
const RUN_TIMEOUT_MS = 120_000;
const POLL_MS = 100;

/** What the pty sends xterm for `head -c n | base64 -w WIDTH`: text plus CRLF per line. */
function renderedBytes(sourceBytes: number): number {
  const chars = 4 * Math.ceil(sourceBytes / 3);
  return chars + 2 * Math.ceil(chars / WIDTH);
}

/** The web host child, driven over IPC with bounded waits. */
class XtermHost {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();

  constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
  }

  call<K extends XtermHostOp>(
    op: K,
    args: XtermHostOps[K]['args'],
    timeoutMs = 60_000,
  ): Promise<XtermHostOps[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`xterm host: ${op} took over ${String(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.ok) resolve(reply.result);
        else reject(new Error(`xterm host: ${op}: ${reply.error}`));
      });
      this.child.send({ id, op, args });
    });
  }

  dispatch(command: string, payload: unknown): Promise<unknown> {
    return this.call('dispatch', { command, payload });
  }

  async stop(): Promise<void> {
    await this.call('shutdown', {}, 15_000).catch(() => undefined);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Signs in, adds the host and opens its terminal through the UI, as the e2e test does. */
async function openTerminal(browser: Browser, url: string): Promise<WatchedPage> {
  const watched = await openPage(browser, url, { viewport: { width: 1280, height: 800 } });
  const { page } = watched;
  await page.getByRole('tab', { name: /Hosts/ }).waitFor();
  await page.locator('tr[data-host-row]', { hasText: 'box' }).first().dblclick();
  const dialog = page.getByRole('dialog', { name: /Unknown host key for 127\.0\.0\.1/ });
  await dialog.getByRole('button', { name: 'Trust and remember' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page
    .locator('[data-testid="terminal-tab-state"][data-state="connected"]')
    .waitFor({ timeout: 30_000 });
  const renderer = await page.locator('.terminal-view').getAttribute('data-renderer');
  if (renderer !== 'dom') throw new Error(`xterm used the ${String(renderer)} renderer, not DOM.`);
  await page.locator('.panel:not([hidden]) .xterm').click();
  // The shell is ready once it runs a command (the marker is not in the echoed command line).
  await page.keyboard.type('echo READY-$((40+2))\n');
  await waitForLine(page, (line) => line === 'READY-42');
  return watched;
}

/** The little of the DOM the in-page check uses (this file is compiled without the DOM lib). */
interface RowsDocument {
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
}

/**
 * In the page: does a visible row of xterm's DOM renderer read exactly `want`? A function, not a
 * string, because the page's CSP forbids eval.
 */
function rowShows({ want, selector }: { want: string; selector: string }): boolean {
  const doc = (globalThis as unknown as { document: RowsDocument }).document;
  return Array.from(doc.querySelectorAll(selector)).some(
    (row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trim() === want,
  );
}

/** Types the command, then times Enter until the end marker is a rendered row. */
async function timedRun(
  page: WatchedPage['page'],
  sourceBytes: number,
  mark: string,
): Promise<number> {
  // `END""-` so the echoed command line never matches the marker row.
  await page.keyboard.type(
    `head -c ${String(sourceBytes)} /dev/zero | base64 -w ${String(WIDTH)}; echo END""-${mark}`,
  );
  const start = performance.now();
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    rowShows,
    { want: `END-${mark}`, selector: '.panel:not([hidden]) .xterm-rows > div' },
    { polling: POLL_MS, timeout: RUN_TIMEOUT_MS },
  );
  return performance.now() - start;
}

export async function xtermPhase(
  forkTs: (file: string) => ChildProcess,
  out: { rows: Row[]; raw: Record<string, unknown> },
): Promise<void> {
  let teleport: TeleportSite | undefined;
  let sshd: SshdServer | undefined;
  let host: XtermHost | undefined;
  let dataDir: string | undefined;
  let browser: Browser | undefined;
  try {
    teleport = await startTeleportSite({ logins: ['root'] });
    sshd = await startSshd({
      trustedUserCaKeys: [teleport.proxy.userCaPublicKey],
      authorizedKeysFile: 'none',
    });
    host = new XtermHost(forkTs('xtermHost.ts'));
    const started = await host.call('start', {});
    dataDir = started.dataDir;
    await host.dispatch('sites.addTeleport', { address: teleport.address, name: 'emu' });
    await host.dispatch('signin.start', { site: 'emu' });
    await host.dispatch('hosts.add', {
      name: 'box',
      hostName: '127.0.0.1',
      port: sshd.port,
      login: 'root',
      site: 'emu',
      route: 'direct',
    });
    browser = await launchChromium(undefined, { webgl: false });
    const { page, errors } = await openTerminal(browser, started.url);
    const before = await host.call('memory', {});
    await timedRun(page, WARMUP_BYTES, 'warmup');
    const samplesMs: number[] = [];
    for (let i = 0; i < REPS; i++) samplesMs.push(await timedRun(page, SOURCE_BYTES, String(i)));
    const after: MemorySample = await host.call('memory', {});
    const bytes = renderedBytes(SOURCE_BYTES);
    const rendered = mbps(bytes, median(samplesMs));
    out.rows.push(
      {
        label: `xterm in Chromium (DOM), ${String(Math.round(bytes / 1e6))} MB`,
        onehop: `OneHop ${rate(rendered, 'MB/s')} rendered (web host, median of ${String(REPS)})`,
        openssh: 'reported (no OpenSSH equivalent)',
      },
      {
        label: '  web host process after',
        onehop: `RSS ${mib(after.rss)} (${deltaMib(after.rss - before.rss)}), heap ${mib(after.heapUsed)}`,
      },
    );
    out.raw.xterm = {
      renderer: 'dom',
      command: `head -c ${String(SOURCE_BYTES)} /dev/zero | base64 -w ${String(WIDTH)}`,
      bytesRendered: bytes,
      samplesMs,
      mbps: samplesMs.map((t) => mbps(bytes, t)),
      webHostMemory: { before, after },
      pageErrors: errors,
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await host?.stop();
    // The host removes it on a clean shutdown; not when it had to be killed.
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await sshd?.stop().catch(() => undefined);
    await teleport?.close().catch(() => undefined);
  }
}
