/**
 * The manager's state machine with a scripted connector (no SSH): backoff, permanent failures,
 * stop during a connect, throttled change reports and alerts.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { TunnelProfile } from '../../../shared/model/settings';
import type { TunnelRuntime } from '../../../shared/model/tunnel';
import { SshError } from '../ssh/errors';
import { TunnelManager, type TunnelAlert } from './manager';
import type { TunnelConnector, ViaConnection } from './viaConnection';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface FakeConnection extends ViaConnection {
  drop(): void;
  released: boolean;
}

function fakeConnection(): FakeConnection {
  let drop: () => void = () => undefined;
  const connection: FakeConnection = {
    released: false,
    forwardOut: () =>
      Promise.reject(new SshError('unreachable', 'connect failed: Connection refused')),
    closed: new Promise((resolve) => (drop = () => resolve(undefined))),
    release: () => (connection.released = true),
    drop: () => drop(),
  };
  return connection;
}

/** Each connect() takes the next scripted outcome (an error or a connection). */
class ScriptedConnector implements TunnelConnector {
  readonly script: (Error | FakeConnection | 'hang')[] = [];
  readonly times: number[] = [];
  connect(_profile: TunnelProfile, signal: AbortSignal): Promise<ViaConnection> {
    this.times.push(Date.now());
    const next = this.script.shift() ?? new SshError('unreachable', 'no script left');
    if (next === 'hang') {
      return new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new SshError('cancelled', 'cancelled'))),
      );
    }
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  }
}

const managers: TunnelManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stopAll()));
});

async function setup(options: { autostart?: boolean } = {}) {
  const connector = new ScriptedConnector();
  const port = await freePort();
  const profile: TunnelProfile = {
    name: 'T',
    site: 'lab',
    via: 'ws1',
    autostart: options.autostart ?? false,
    forwards: [{ kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: port }],
  };
  const manager = new TunnelManager({
    connector,
    profiles: () => [profile],
    confDir: '/nonexistent',
    timing: { backoffInitialMs: 40, backoffMaxMs: 160, throttleMs: 200, alertDelayMs: 150 },
  });
  managers.push(manager);
  const updates: TunnelRuntime[][] = [];
  const alerts: TunnelAlert[] = [];
  manager.onChange((t) => updates.push(t));
  manager.onAlert((a) => alerts.push(a));
  return { connector, manager, port, updates, alerts };
}

const until = async (check: () => boolean, ms = 3_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('TunnelManager', () => {
  it('lists stopped profiles with their forwards', async () => {
    const { manager, port } = await setup();
    expect(manager.status()).toEqual([
      {
        name: 'T',
        state: 'stopped',
        reason: null,
        events: [],
        launcher: null,
        forwards: [
          {
            kind: 'dynamic',
            label: `-D 127.0.0.1:${String(port)}`,
            bindAddress: '127.0.0.1',
            bindPort: port,
            listening: false,
            activeConnections: 0,
            totalConnections: 0,
            bytesOut: 0,
            bytesIn: 0,
            lastError: null,
          },
        ],
      },
    ]);
    await expect(manager.start('nope')).rejects.toThrow('There is no tunnel named "nope".');
  });

  it('retries transient failures with doubling backoff, capped', async () => {
    const { connector, manager } = await setup();
    const down = () => new SshError('unreachable', 'Could not connect to ws1:22.');
    connector.script.push(down(), down(), down(), down(), fakeConnection());
    await manager.start('T');
    await until(() => manager.get('T').state === 'listening');
    const gaps = connector.times.slice(1).map((t, i) => t - (connector.times[i] as number));
    // 40, 80, 160, 160 ms: timers fire a little late (loaded CI), never early.
    [40, 80, 160, 160].forEach((expected, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(expected - 5);
      expect(gaps[i]).toBeLessThan(expected + 70);
    });
    expect(manager.get('T').events.filter((e) => e.level === 'warning')).toHaveLength(4);
  });

  it('reconnects after a drop and releases the old connection', async () => {
    const { connector, manager } = await setup();
    const first = fakeConnection();
    connector.script.push(first, fakeConnection());
    await manager.start('T');
    await until(() => manager.get('T').state === 'listening');
    first.drop();
    await until(() => connector.times.length === 2 && manager.get('T').state === 'listening');
    expect(first.released).toBe(true);
    expect(manager.get('T').events.map((e) => e.message)).toContain(
      'Lost the connection to ws1: the connection closed',
    );
  });

  it('fails on a permanent error, closes the listeners and raises an alert for autostarted tunnels', async () => {
    const { connector, manager, port, alerts } = await setup({ autostart: true });
    connector.script.push(new SshError('host-key-changed', 'The host key of ws1 changed.'));
    await manager.startAutostart('lab');
    await until(() => manager.get('T').state === 'failed');
    expect(manager.get('T')).toMatchObject({ reason: 'The host key of ws1 changed.' });
    expect(manager.get('T').forwards[0]?.listening).toBe(false);
    expect(alerts).toEqual([
      { name: 'T', kind: 'failed', message: 'The tunnel "T": The host key of ws1 changed.' },
    ]);
    // The port is free again.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(port, '127.0.0.1', resolve));
    probe.close();
  });

  it('alerts only after reconnecting for a while, then on recovery', async () => {
    const { connector, manager, alerts } = await setup({ autostart: true });
    const down = () => new SshError('unreachable', 'down');
    connector.script.push(down(), down(), down(), fakeConnection());
    await manager.startAutostart('lab');
    await until(() => manager.get('T').state === 'listening');
    // 40 + 80 + 160 ms of retries > the 150 ms alert delay.
    expect(alerts.map((a) => a.kind)).toEqual(['failed', 'recovered']);
  });

  it('stops during a connect that never answers, and lets waiting clients go', async () => {
    const { connector, manager, port } = await setup();
    connector.script.push('hang');
    await manager.start('T');
    const client = net.connect({ host: '127.0.0.1', port });
    client.write(Buffer.from([5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1, 0, 80]));
    client.on('error', () => undefined);
    client.resume();
    const closed = new Promise<void>((resolve) => client.on('close', () => resolve()));
    await until(() => manager.get('T').forwards[0]?.activeConnections === 1);
    const stopped = await manager.stop('T');
    expect(stopped.state).toBe('stopped');
    // The waiting client is let go at once (not after the 15 s wait).
    await closed;
    expect(stopped.forwards[0]?.activeConnections).toBe(0);
  });

  it('reports counter changes at most once per throttle interval, state changes at once', async () => {
    const { connector, manager, port, updates } = await setup();
    const conn = fakeConnection();
    const echo = net.createServer((s) => s.pipe(s));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const echoPort = (echo.address() as net.AddressInfo).port;
    conn.forwardOut = () =>
      new Promise<Duplex>((resolve) => {
        const s = net.connect(echoPort, '127.0.0.1', () => resolve(s));
      });
    connector.script.push(conn);
    await manager.start('T');
    await until(() => manager.get('T').state === 'listening');
    const before = updates.length;
    const client = net.connect({ host: '127.0.0.1', port });
    client.write(Buffer.from([5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1, 0, 80]));
    const started = Date.now();
    // ~100 small writes over ~500 ms.
    for (let i = 0; i < 100; i++) {
      client.write('x');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await until(() => (manager.get('T').forwards[0]?.bytesIn ?? 0) >= 100);
    const elapsed = Date.now() - started;
    expect(updates.length - before).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 2);
    client.destroy();
    echo.close();
  });
});
