/**
 * Terminals through the connection pool against real OpenSSH: a jump that presents only a host
 * certificate, targets behind it, pty shells, pool reuse, flow control, exit codes, host key
 * prompts, expired certificates, keepalive on a stopped jump, and TLS routing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import type { EventName, EventPayload } from '../../src/shared/contract';
import { ALPN_PROXY_SSH } from '../../src/main/core/connections';
import { startSshSite, type SshSite } from '../support/sshSite';
import type { SshdServer } from '../support/sshd';
import { createWebTls, type WebTls } from '../support/teleport/webTls';
import { requireTools } from '../support/tools';

const tools = requireTools(['sshd', 'ssh-keygen', 'openssl']);

interface Harness {
  core: Core;
  dir: string;
  events: { event: EventName; payload: unknown }[];
  output(id: string): string;
  waitFor<E extends EventName>(
    event: E,
    match: (payload: EventPayload<E>) => boolean,
    timeoutMs?: number,
  ): Promise<EventPayload<E>>;
  call(command: string, payload: unknown): Promise<unknown>;
  close(): Promise<void>;
}

async function harness(
  site: SshSite,
  options: { keepalive?: number; validity?: string; sshProxy?: string; tlsRouting?: boolean } = {},
): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-terminals-'));
  const core = createCore({
    dataDir: dir,
    host: 'web',
    version: 'test',
    tshHome: false,
    userKnownHosts: false,
    watchSettings: false,
    issuers: { teleport: site.issuer(options) },
    log: () => undefined,
  });
  const events: Harness['events'] = [];
  const waiters = new Set<() => void>();
  core.events.subscribe((message) => {
    events.push(message as Harness['events'][number]);
    for (const waiter of [...waiters]) waiter();
  });
  const call = async (command: string, payload: unknown) => {
    const result = await core.dispatcher.dispatch(command, payload);
    if (!result.ok) throw new Error(`${command}: ${result.error.message}`);
    return result.result;
  };
  await call('sites.addTeleport', { address: '127.0.0.1:3080', name: 'lab' });
  const settings = core.settings.get();
  core.settings.update((draft) => {
    const lab = draft.sites.find((s) => s.name === 'lab');
    if (lab) lab.ssh.keepaliveIntervalSeconds = options.keepalive ?? 60;
  });
  void settings;
  await call('signin.start', { site: 'lab' });
  return {
    core,
    dir,
    events,
    call,
    output: (id) =>
      events
        .filter((e) => e.event === 'terminal.data' && (e.payload as { id: string }).id === id)
        .map((e) => (e.payload as { data: string }).data)
        .join(''),
    waitFor(event, match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const e of events) {
            if (e.event === event && match(e.payload as never)) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve(e.payload as never);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${event}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function addHost(h: Harness, name: string, server: SshdServer, extra: object = {}) {
  await h.call('hosts.add', {
    name,
    hostName: '127.0.0.1',
    port: server.port,
    site: 'lab',
    login: 'root',
    ...extra,
  });
}

async function openTerminal(h: Harness, host: string, cols = 80, rows = 24): Promise<string> {
  const { terminal } = (await h.call('terminal.open', { target: { host }, cols, rows })) as {
    terminal: { id: string };
  };
  return terminal.id;
}

const stateOf = (h: Harness, id: string, state: string, timeoutMs?: number) =>
  h.waitFor('terminal.state', (p) => p.terminal.id === id && p.terminal.state === state, timeoutMs);

async function typeAndSee(
  h: Harness,
  id: string,
  input: string,
  expected: RegExp,
  timeoutMs = 10_000,
) {
  const before = h.output(id).length;
  await h.call('terminal.write', { id, data: input });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const seen = h.output(id).slice(before);
    const match = expected.exec(seen);
    if (match) return match;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`did not see ${String(expected)} in: ${h.output(id).slice(before)}`);
}

describe.skipIf(tools.skip)(`terminals through the pool${tools.marker}`, () => {
  let site: SshSite;
  let hpc: SshdServer;
  let ecs: SshdServer;

  beforeAll(async () => {
    site = await startSshSite();
    [hpc, ecs] = await Promise.all([site.startTarget(), site.startTarget()]);
  }, 60_000);
  afterAll(async () => {
    await site?.stop();
  });

  it('opens a pty shell through the certificate-only jump; echo, stty size after resize, exit code', async () => {
    const h = await harness(site);
    try {
      await addHost(h, 'hpc-login', hpc);
      const id = await openTerminal(h, 'hpc-login', 100, 30);
      await stateOf(h, id, 'connected');
      await typeAndSee(h, id, 'echo hel""lo\n', /hello/);
      await typeAndSee(h, id, 'stty size\n', /30 100/);
      await h.call('terminal.resize', { id, cols: 132, rows: 43 });
      await typeAndSee(h, id, 'stty size\n', /43 132/);
      await typeAndSee(
        h,
        id,
        "printf '%s\\n' \"$TERM\" 'h\u00e9llo \u2713'\n",
        /xterm-256color\r?\nh\u00e9llo \u2713/,
      );
      await h.call('terminal.write', { id, data: 'exit 3\n' });
      const closed = await stateOf(h, id, 'closed');
      expect(closed.terminal.exitCode).toBe(3);
    } finally {
      await h.close();
    }
  });

  it('a second terminal to the same host, and one to another host, reuse the open connections', async () => {
    const h = await harness(site);
    try {
      await addHost(h, 'hpc-login', hpc);
      await addHost(h, 'ecs-login', ecs);
      const first = await openTerminal(h, 'hpc-login');
      await stateOf(h, first, 'connected');
      expect(h.core.pool.handshakes).toBe(2); // jump + target
      const second = await openTerminal(h, 'hpc-login');
      await stateOf(h, second, 'connected');
      expect(h.core.pool.handshakes).toBe(2); // no new handshake at all
      const third = await openTerminal(h, 'ecs-login');
      await stateOf(h, third, 'connected');
      expect(h.core.pool.handshakes).toBe(3); // only the new target; the jump is shared
      expect(h.core.pool.keys().filter((k) => k.startsWith('jump|'))).toHaveLength(1);
      const jumpLogins = (site.jump.logs().match(/Accepted publickey/g) ?? []).length;
      await typeAndSee(h, third, 'echo $((6*7))\n', /42/);
      expect((site.jump.logs().match(/Accepted publickey/g) ?? []).length).toBe(jumpLogins);
    } finally {
      await h.close();
    }
  });

  it('pauses the channel while output is not acknowledged, and finishes once it is', async () => {
    const h = await harness(site);
    try {
      await addHost(h, 'hpc-login', hpc);
      const id = await openTerminal(h, 'hpc-login');
      await stateOf(h, id, 'connected');
      // 11 MB of output; the test acknowledges nothing at first.
      await h.call('terminal.write', {
        id,
        data: 'head -c 8000000 /dev/zero | base64 -w 100; echo DONE-$((1+1))\n',
      });
      await new Promise((r) => setTimeout(r, 1500));
      const stalled = h.output(id).length;
      await new Promise((r) => setTimeout(r, 500));
      expect(h.output(id).length).toBe(stalled); // paused: nothing more arrives
      expect(stalled).toBeLessThan(2 * 1024 * 1024);
      // Acknowledge as a UI would, until the end marker arrives.
      let acked = 0;
      const deadline = Date.now() + 60_000;
      while (!h.output(id).includes('DONE-2') && Date.now() < deadline) {
        const total = h.output(id).length;
        if (total > acked) {
          await h.call('terminal.ack', { id, chars: total - acked });
          acked = total;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(h.output(id)).toContain('DONE-2');
      expect(h.output(id).length).toBeGreaterThan(10_000_000);
    } finally {
      await h.close();
    }
  }, 90_000);

  it('asks about an unknown host key, remembers it, and does not ask again', async () => {
    const plain = await site.startTarget({ plainHostKey: true });
    const h = await harness(site);
    try {
      await addHost(h, 'plain', plain);
      const id = await openTerminal(h, 'plain');
      const prompt = await h.waitFor('hostkey.prompt', () => true);
      expect(prompt.fingerprint).toMatch(/^SHA256:/);
      expect(prompt.hop).toBe('target');
      await h.call('hostkey.answer', { id: prompt.id, answer: 'remember' });
      await stateOf(h, id, 'connected');
      expect(readFileSync(path.join(h.dir, 'known_hosts'), 'utf8')).toContain(
        `[127.0.0.1]:${String(plain.port)}`,
      );
      await h.core.pool.closeAll();
      const again = await openTerminal(h, 'plain');
      await stateOf(h, again, 'connected');
      expect(h.events.filter((e) => e.event === 'hostkey.prompt')).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('says the certificate expired and offers sign-in', async () => {
    const h = await harness(site, { validity: '-2h:-1h' });
    try {
      await addHost(h, 'hpc-login', hpc);
      const id = await openTerminal(h, 'hpc-login');
      const state = await stateOf(h, id, 'disconnected');
      expect(state.terminal.remedy).toBe('sign-in');
      expect(state.terminal.problem).toMatch(/certificate expired at .*sign in again/i);
    } finally {
      await h.close();
    }
  });

  it('refuses a login that is not among the principals, in plain words', async () => {
    const h = await harness(site);
    try {
      await addHost(h, 'hpc-login', hpc, { login: 'nobody' });
      const id = await openTerminal(h, 'hpc-login');
      const state = await stateOf(h, id, 'disconnected');
      expect(state.terminal.problem).toMatch(
        /"nobody" is not among your certificate's principals \(root\)/,
      );
    } finally {
      await h.close();
    }
  });

  it('notices a stopped jump by keepalive and reconnects once it answers again', async () => {
    const h = await harness(site, { keepalive: 1 });
    try {
      await addHost(h, 'hpc-login', hpc);
      const id = await openTerminal(h, 'hpc-login');
      await stateOf(h, id, 'connected');
      // Stop the jump's session process (the one carrying our connection), not the listener.
      process.kill(site.jump.pid, 'SIGSTOP');
      const children = await sshdChildren(site.jump.pid);
      for (const pid of children) process.kill(pid, 'SIGSTOP');
      try {
        const lost = await stateOf(h, id, 'reconnecting', 15_000);
        expect(lost.terminal.problem).toMatch(/stopped answering|keepalive|closed/i);
      } finally {
        for (const pid of children) process.kill(pid, 'SIGCONT');
        process.kill(site.jump.pid, 'SIGCONT');
      }
      const events = h.events.length;
      await h.waitFor(
        'terminal.state',
        (p) => p.terminal.id === id && p.terminal.state === 'connected' && h.events.length > events,
        30_000,
      );
      await typeAndSee(h, id, 'echo back-$((2+2))\n', /back-4/);
    } finally {
      await h.close();
    }
  }, 60_000);

  it('reaches the jump over TLS routing (ALPN teleport-proxy-ssh) in front of sshd', async () => {
    const web = await createWebTls();
    const terminator = await tlsTerminator(web, site.jump.port);
    const h = await harness(site, {
      sshProxy: `127.0.0.1:${String(terminator.port)}`,
      tlsRouting: true,
    });
    try {
      await addHost(h, 'hpc-login', hpc);
      const id = await openTerminal(h, 'hpc-login');
      await stateOf(h, id, 'connected');
      await typeAndSee(h, id, 'echo tls-$((3*3))\n', /tls-9/);
      expect(terminator.alpn).toContain(ALPN_PROXY_SSH);
    } finally {
      await h.close();
      terminator.server.close();
      web.dispose();
    }
  });
});

/** sshd's per-connection children (privilege-separated session processes). */
async function sshdChildren(pid: number): Promise<number[]> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile('pgrep', ['-P', String(pid)], (_error, stdout) => {
      const direct = stdout.split(/\s+/).filter(Boolean).map(Number);
      resolve(direct);
    });
  });
}

/** A stand-in for the proxy's TLS multiplexer: TLS with ALPN teleport-proxy-ssh → sshd. */
function tlsTerminator(
  web: WebTls,
  sshPort: number,
): Promise<{ server: tls.Server; port: number; alpn: string[] }> {
  const alpn: string[] = [];
  const server = tls.createServer(
    { key: web.key, cert: web.cert, ALPNProtocols: [ALPN_PROXY_SSH] },
    (socket) => {
      alpn.push(String(socket.alpnProtocol));
      const upstream = net.connect(sshPort, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    },
  );
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, port: (server.address() as net.AddressInfo).port, alpn });
    });
  });
}
