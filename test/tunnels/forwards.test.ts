/**
 * Tunnels through a real jump and via sshd with real clients: curl --socks5-hostname,
 * proxychains4, -L forwards, refused targets, port in use, a launcher, and 200 concurrent SOCKS
 * clients of 1 MB each with nothing left open afterwards.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TunnelManager, writeProxychainsConf } from '../../src/main/core/tunnels';
import type { TunnelProfile } from '../../src/shared/model/settings';
import type { TunnelRuntime } from '../../src/shared/model/tunnel';
import { freePort } from '../support/sshd';
import { requireTools } from '../support/tools';
import {
  curlSocks,
  establishedTo,
  LabConnector,
  profileOf,
  run,
  socksConnect,
  startLab,
  until,
  type Lab,
} from './support';

const tools = requireTools(['sshd', 'ssh-keygen', 'curl', 'proxychains4']);
const MB = 1024 * 1024;

describe.skipIf(tools.skip)(`tunnels through OpenSSH${tools.marker}`, () => {
  let lab: Lab;
  let connector: LabConnector;
  let manager: TunnelManager;
  let profiles: TunnelProfile[] = [];
  let socksPort = 0;
  const updates: TunnelRuntime[][] = [];

  beforeAll(async () => {
    lab = await startLab();
    connector = new LabConnector(lab, lab.credentials);
    manager = new TunnelManager({
      connector,
      profiles: () => profiles,
      confDir: path.join(lab.dir, 'conf'),
      timing: { backoffInitialMs: 250, backoffMaxMs: 2_000 },
    });
    manager.onChange((tunnels) => updates.push(tunnels));
    socksPort = await freePort();
    profiles = [
      profileOf('SOCKS', lab.via, [
        { kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: socksPort },
      ]),
    ];
    const started = await manager.start('SOCKS');
    expect(started.forwards[0]?.listening).toBe(true);
    await manager.whenListening('SOCKS', 15_000);
  }, 60_000);

  afterAll(async () => {
    await manager?.stopAll();
    await lab?.close();
  });

  it('fetches through the SOCKS tunnel with curl --socks5-hostname; the name reaches forwardOut unresolved', async () => {
    const result = await curlSocks(socksPort, `http://localhost:${String(lab.httpPort)}/socks`);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('hello /socks');
    expect(connector.requested).toContain(`localhost:${String(lab.httpPort)}`);
    const forward = manager.get('SOCKS').forwards[0];
    expect(forward).toMatchObject({ kind: 'dynamic', label: `-D 127.0.0.1:${String(socksPort)}` });
    expect(forward?.totalConnections).toBeGreaterThanOrEqual(1);
    expect(forward?.bytesOut).toBeGreaterThan(0);
    expect(forward?.bytesIn).toBeGreaterThan(0);
  });

  it('fetches with proxychains4 -f <generated conf> curl', async () => {
    const conf = writeProxychainsConf(
      path.join(lab.dir, 'conf'),
      profiles[0] as TunnelProfile,
    ) as string;
    expect(readFileSync(conf, 'utf8')).toContain(`socks5 127.0.0.1 ${String(socksPort)}`);
    const before = connector.requested.length;
    const result = await run('proxychains4', [
      '-q',
      '-f',
      conf,
      'curl',
      '-sS',
      '--max-time',
      '20',
      `http://127.0.0.1:${String(lab.httpPort)}/chains`,
    ]);
    expect(result.stdout).toBe('hello /chains');
    expect(connector.requested.slice(before)).toContain(`127.0.0.1:${String(lab.httpPort)}`);
  });

  it('answers a refused target with SOCKS "connection refused", logs it, and the tunnel stays up', async () => {
    const deadPort = await freePort();
    const { reply, socket } = await socksConnect(socksPort, '127.0.0.1', deadPort);
    socket.destroy();
    expect(reply).toBe(0x05);
    const runtime = manager.get('SOCKS');
    expect(runtime.state).toBe('listening');
    expect(runtime.forwards[0]?.lastError).toMatch(
      new RegExp(`127\\.0\\.0\\.1:${String(deadPort)}`),
    );
    expect(runtime.events.at(-1)).toMatchObject({ level: 'warning' });
    const next = await curlSocks(socksPort, `http://localhost:${String(lab.httpPort)}/after`);
    expect(next.stdout).toBe('hello /after');
  });

  it('runs local forwards to two targets', async () => {
    const other = net.createServer((socket) => socket.end('second target\n'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherPort = (other.address() as net.AddressInfo).port;
    const [p1, p2] = [await freePort(), await freePort()];
    profiles.push(
      profileOf('Local', lab.via, [
        {
          kind: 'local',
          bindAddress: '127.0.0.1',
          bindPort: p1,
          targetHost: 'localhost',
          targetPort: lab.httpPort,
        },
        {
          kind: 'local',
          bindAddress: '127.0.0.1',
          bindPort: p2,
          targetHost: '127.0.0.1',
          targetPort: otherPort,
        },
      ]),
    );
    try {
      await manager.start('Local');
      const first = await run('curl', [
        '-sS',
        '--max-time',
        '20',
        `http://127.0.0.1:${String(p1)}/local`,
      ]);
      expect(first.stdout).toBe('hello /local');
      const second = await new Promise<string>((resolve, reject) => {
        const socket = net.connect({ host: '127.0.0.1', port: p2 });
        let text = '';
        socket.on('data', (c: Buffer) => (text += c.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(second).toBe('second target\n');
      const runtime = manager.get('Local');
      expect(runtime.forwards.map((f) => f.label)).toEqual([
        `-L 127.0.0.1:${String(p1)}:localhost:${String(lab.httpPort)}`,
        `-L 127.0.0.1:${String(p2)}:127.0.0.1:${String(otherPort)}`,
      ]);
      await until(() => manager.get('Local').forwards.every((f) => f.activeConnections === 0));
      expect(manager.get('Local').forwards.map((f) => f.totalConnections)).toEqual([1, 1]);
    } finally {
      await manager.stop('Local');
      other.close();
    }
    expect(manager.get('Local').state).toBe('stopped');
  });

  it('binds all listeners or none: a port in use fails the profile with the address and port', async () => {
    const blocker = net.createServer();
    const busy = await freePort();
    await new Promise<void>((resolve) => blocker.listen(busy, '127.0.0.1', resolve));
    const free = await freePort();
    profiles.push(
      profileOf('Busy', lab.via, [
        { kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: free },
        { kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: busy },
      ]),
    );
    const attempts = connector.attempts;
    try {
      const runtime = await manager.start('Busy');
      expect(runtime.state).toBe('failed');
      expect(runtime.reason).toBe(
        `Port ${String(busy)} on 127.0.0.1 is already in use (by another program); choose another port or stop that program.`,
      );
      expect(runtime.forwards.every((f) => !f.listening)).toBe(true);
      // The first port was released again, and no SSH connection was attempted.
      const probe = net.createServer();
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject);
        probe.listen(free, '127.0.0.1', resolve);
      });
      probe.close();
      expect(connector.attempts).toBe(attempts);
    } finally {
      blocker.close();
    }
  });

  it('launches a program through proxychains4 once the tunnel listens and reports its exit', async () => {
    const out = path.join(mkdtempSync(path.join(lab.dir, 'launch-')), 'page.txt');
    const url = `http://127.0.0.1:${String(lab.httpPort)}/launched`;
    const socks = profiles[0] as TunnelProfile;
    profiles[0] = {
      ...socks,
      launcher: {
        command: 'proxychains4',
        args: ['-q', 'curl', '-sS', '-o', out, url],
        env: {},
        enabled: true,
      },
    };
    const before = connector.requested.length;
    await manager.launch('SOCKS');
    await until(() => manager.get('SOCKS').launcher?.state === 'exited', 20_000, 'launcher exit');
    expect(manager.get('SOCKS').launcher).toMatchObject({
      exitCode: 0,
      message: 'proxychains4 exited.',
    });
    expect(readFileSync(out, 'utf8')).toBe('hello /launched');
    expect(connector.requested.slice(before)).toContain(`127.0.0.1:${String(lab.httpPort)}`);
    profiles[0] = socks;
  });

  it('carries 200 concurrent SOCKS clients of 1 MB each and leaves no socket or channel open', async () => {
    const payload = Buffer.alloc(MB, 7);
    const source = net.createServer((socket) => {
      socket.on('error', () => socket.destroy());
      socket.end(payload);
    });
    await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
    const sourcePort = (source.address() as net.AddressInfo).port;
    const before = manager.get('SOCKS').forwards[0] as TunnelRuntime['forwards'][0];
    const updatesBefore = updates.length;
    const started = Date.now();
    try {
      const sizes = await Promise.all(
        Array.from({ length: 200 }, async () => {
          const { reply, socket, rest } = await socksConnect(socksPort, '127.0.0.1', sourcePort);
          expect(reply).toBe(0);
          return new Promise<number>((resolve, reject) => {
            let size = rest.length;
            socket.on('data', (chunk: Buffer) => (size += chunk.length));
            socket.on('end', () => {
              socket.end();
              resolve(size);
            });
            socket.on('error', reject);
            socket.resume();
          });
        }),
      );
      expect(sizes.every((s) => s === MB)).toBe(true);
      const seconds = (Date.now() - started) / 1000;
      await until(
        () => manager.get('SOCKS').forwards[0]?.activeConnections === 0,
        10_000,
        'all closed',
      );
      const after = manager.get('SOCKS').forwards[0] as TunnelRuntime['forwards'][0];
      expect(after.totalConnections - before.totalConnections).toBe(200);
      expect(after.bytesIn - before.bytesIn).toBe(200 * MB);
      // The via sshd closed every channel's connection to the source, and so did we.
      const openAtSource = () =>
        new Promise<number>((resolve) => source.getConnections((_e, n) => resolve(n)));
      let open = await openAtSource();
      for (let i = 0; i < 100 && open > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        open = await openAtSource();
      }
      expect(open).toBe(0);
      expect(await establishedTo(sourcePort)).toBe(0);
      expect(await establishedTo(socksPort)).toBe(0);
      // Counter-only changes were throttled to about one update per second.
      expect(updates.length - updatesBefore).toBeLessThanOrEqual(Math.ceil(seconds) + 3);
    } finally {
      source.close();
    }
  }, 60_000);
});
