/**
 * Tunnels surviving a frozen via sshd (SIGSTOP/SIGCONT), a killed and restarted via sshd, and an
 * expired certificate (waiting-for-sign-in, then resumed by onSignedIn) — listeners never close.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TunnelManager, type TunnelAlert } from '../../src/main/core/tunnels';
import type { SshCredentials } from '../../src/main/core/ssh';
import type { TunnelProfile } from '../../src/shared/model/settings';
import { freePort } from '../support/sshd';
import { requireTools } from '../support/tools';
import {
  credentialsFor,
  curlSocks,
  killTree,
  LabConnector,
  profileOf,
  SITE,
  socksConnect,
  startLab,
  until,
  type Lab,
} from './support';

const tools = requireTools(['sshd', 'ssh-keygen', 'curl']);

describe.skipIf(tools.skip)(`tunnels survive drops and re-sign-in${tools.marker}`, () => {
  let lab: Lab;
  let connector: LabConnector;
  let manager: TunnelManager;
  let profiles: TunnelProfile[] = [];
  let socksPort = 0;
  let expired: SshCredentials;
  let sampler: NodeJS.Timeout | undefined;
  let closedListenerSeen = false;

  beforeAll(async () => {
    lab = await startLab();
    expired = await credentialsFor(lab.userCa, lab.userKey, '-2h:-1h');
    connector = new LabConnector(lab, lab.credentials);
    manager = new TunnelManager({
      connector,
      profiles: () => profiles,
      confDir: path.join(lab.dir, 'conf'),
      timing: { backoffInitialMs: 250, backoffMaxMs: 1_000, alertDelayMs: 60_000 },
    });
    socksPort = await freePort();
    profiles = [
      {
        ...profileOf('SOCKS', lab.via, [
          { kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: socksPort },
        ]),
        autostart: true,
      },
    ];
  }, 60_000);

  afterEach(() => {
    if (sampler !== undefined) clearInterval(sampler);
    sampler = undefined;
  });

  afterAll(async () => {
    await manager?.stopAll();
    await lab?.close();
  });

  /** Watches the listener: it must stay bound through whatever the test does. */
  function watchListener(): void {
    closedListenerSeen = false;
    sampler = setInterval(() => {
      if (manager.get('SOCKS').forwards[0]?.listening !== true) closedListenerSeen = true;
    }, 20);
  }

  const fetch = (tag: string) =>
    curlSocks(socksPort, `http://localhost:${String(lab.httpPort)}/${tag}`);

  it('autostarts after sign-in and fetches', async () => {
    const alerts: TunnelAlert[] = [];
    manager.onAlert((alert) => alerts.push(alert));
    const started = await manager.startAutostart(SITE);
    expect(started.map((t) => t.name)).toEqual(['SOCKS']);
    await manager.whenListening('SOCKS', 15_000);
    expect((await fetch('first')).stdout).toBe('hello /first');
    expect(alerts).toEqual([]);
  });

  it('keeps the listener through SIGSTOP/SIGCONT of the via sshd; a request made meanwhile completes', async () => {
    watchListener();
    const attempts = connector.attempts;
    const frozen = killTree(lab.via.pid, 'SIGSTOP');
    let thawed = false;
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const during = fetch('during-stop');
      // Long enough for the keepalive (1 s × 2) to declare the connection dead.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      for (const pid of frozen) process.kill(pid, 'SIGCONT');
      thawed = true;
      const result = await during;
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('hello /during-stop');
    } finally {
      if (!thawed) for (const pid of frozen) process.kill(pid, 'SIGCONT');
    }
    expect((await fetch('after-stop')).stdout).toBe('hello /after-stop');
    expect(connector.attempts).toBeGreaterThan(attempts);
    expect(
      manager
        .get('SOCKS')
        .events.map((e) => e.message)
        .join('\n'),
    ).toMatch(/Lost the connection/);
    expect(closedListenerSeen).toBe(false);
  }, 30_000);

  it('keeps the listener while the via sshd is killed and restarted on the same port', async () => {
    await manager.whenListening('SOCKS', 15_000);
    watchListener();
    await lab.restartVia();
    await until(() => manager.get('SOCKS').state !== 'listening', 10_000, 'drop noticed');
    const result = await fetch('after-restart');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('hello /after-restart');
    expect(manager.get('SOCKS').state).toBe('listening');
    expect(closedListenerSeen).toBe(false);
  }, 30_000);

  it('waits for sign-in when the certificate has expired, and resumes at once after onSignedIn', async () => {
    await manager.whenListening('SOCKS', 15_000);
    const alerts: TunnelAlert[] = [];
    manager.onAlert((alert) => alerts.push(alert));
    watchListener();
    connector.credentials = expired;
    // Drop the live connection (its sessions), so the reconnect meets the expired certificate.
    killTree(lab.via.pid, 'SIGKILL', true);
    await until(() => manager.get('SOCKS').state === 'waiting-for-sign-in', 10_000, 'waiting');
    const waiting = manager.get('SOCKS');
    expect(waiting.reason).toMatch(/Your SSH certificate expired at .*; sign in again\./);
    expect(alerts.map((a) => a.kind)).toEqual(['failed']);

    // A client now gets a prompt SOCKS failure rather than a 15 s wait.
    const startedAt = Date.now();
    const { reply, socket } = await socksConnect(socksPort, 'localhost', lab.httpPort);
    socket.destroy();
    expect(reply).toBe(0x01);
    expect(Date.now() - startedAt).toBeLessThan(2_000);

    connector.credentials = lab.credentials;
    const attempts = connector.attempts;
    manager.onSignedIn(SITE);
    // Resumes without waiting for a backoff timer (the pause is indefinite while waiting).
    await manager.whenListening('SOCKS', 5_000);
    expect(connector.attempts).toBe(attempts + 1);
    expect((await fetch('renewed')).stdout).toBe('hello /renewed');
    expect(alerts.map((a) => a.kind)).toEqual(['failed', 'recovered']);
    expect(closedListenerSeen).toBe(false);
  }, 30_000);

  it('stops cleanly: the port is free and nothing waits', async () => {
    const stopped = await manager.stop('SOCKS');
    expect(stopped.state).toBe('stopped');
    expect(stopped.forwards[0]?.listening).toBe(false);
    const again = await manager.start('SOCKS');
    expect(again.forwards[0]?.listening).toBe(true);
    await manager.stop('SOCKS');
  });
});
