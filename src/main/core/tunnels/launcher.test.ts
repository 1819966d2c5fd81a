import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TunnelProfile } from '../../../shared/model/settings';
import {
  expandPlaceholders,
  placeholderValues,
  planLaunch,
  runLauncher,
  type PlaceholderValues,
} from './launcher';
import type { LauncherRuntime } from '../../../shared/model/tunnel';

const dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const profile: TunnelProfile = {
  name: 'ecFlow SOCKS',
  via: 'ws1',
  autostart: false,
  forwards: [
    {
      kind: 'local',
      bindAddress: '127.0.0.1',
      bindPort: 14141,
      targetHost: 'm1',
      targetPort: 4141,
    },
    { kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: 19050 },
    {
      kind: 'local',
      bindAddress: '127.0.0.1',
      bindPort: 19316,
      targetHost: 'log',
      targetPort: 9316,
    },
  ],
};

describe('launcher placeholders', () => {
  const values: PlaceholderValues = placeholderValues(profile, '/data/pc.conf');

  it('expands {socksPort}, {localPort:<n>} (1-based, local forwards in order) and {proxychainsConf}', () => {
    expect(expandPlaceholders('--socks={socksPort}', values)).toBe('--socks=19050');
    expect(expandPlaceholders('{localPort:1},{localPort:2}', values)).toBe('14141,19316');
    expect(expandPlaceholders('-f {proxychainsConf}', values)).toBe('-f /data/pc.conf');
    expect(expandPlaceholders('plain {braces', values)).toBe('plain {braces');
  });

  it('explains unknown and unusable placeholders', () => {
    expect(() => expandPlaceholders('{localPort:3}', values)).toThrow(/has 2 local \(-L\) forward/);
    expect(() => expandPlaceholders('{localPort:0}', values)).toThrow(
      /counts the local forwards from 1/,
    );
    expect(() => expandPlaceholders('{sockPort}', values)).toThrow(
      /unknown placeholder \{sockPort\}/,
    );
    const noSocks = placeholderValues({
      forwards: [profile.forwards[0] as TunnelProfile['forwards'][0]],
    });
    expect(() => expandPlaceholders('{socksPort}', noSocks)).toThrow(/no SOCKS \(-D\) forward/);
    expect(() => expandPlaceholders('{proxychainsConf}', noSocks)).toThrow(/no SOCKS/);
  });
});

describe('planLaunch', () => {
  const bin = path.join(dir, 'bin');
  const fakeUi = path.join(bin, 'fake_ui');
  // A tiny executable on a private PATH (and no proxychains4 there).
  mkdirSync(bin, { recursive: true });
  writeFileSync(fakeUi, '#!/bin/sh\nexit 0\n');
  chmodSync(fakeUi, 0o755);

  it('writes the proxychains configuration, sets PROXYCHAINS_CONF_FILE and resolves the command', () => {
    const plan = planLaunch(
      {
        ...profile,
        launcher: {
          command: 'fake_ui',
          args: ['--port', '{socksPort}'],
          env: { X: '{localPort:2}' },
          enabled: true,
        },
      },
      path.join(dir, 'conf'),
      { PATH: bin },
    );
    expect(plan.command).toBe(fakeUi);
    expect(plan.args).toEqual(['--port', '19050']);
    expect(plan.env.X).toBe('19316');
    const conf = plan.env.PROXYCHAINS_CONF_FILE as string;
    expect(conf).toBe(path.join(dir, 'conf', 'proxychains-ecflow-socks.conf'));
    const text = readFileSync(conf, 'utf8');
    expect(text).toMatch(/^strict_chain$/m);
    expect(text).toMatch(/^proxy_dns$/m);
    expect(text).toMatch(/^\[ProxyList\]\nsocks5 127\.0\.0\.1 19050$/m);
    expect(statSync(conf).mode & 0o777).toBe(0o600);
  });

  it('says clearly when the program or proxychains4 is missing', () => {
    const base = {
      ...profile,
      launcher: { command: 'ecflow_ui', args: ['-cmd', 'proxychains4'], env: {}, enabled: true },
    };
    expect(() => planLaunch(base, dir, { PATH: bin })).toThrow(
      /"ecflow_ui" was not found on this computer/,
    );
    expect(() =>
      planLaunch({ ...base, launcher: { ...base.launcher, command: 'fake_ui' } }, dir, {
        PATH: bin,
      }),
    ).toThrow(/needs proxychains4, which is not installed/);
    expect(() =>
      planLaunch({ ...base, launcher: { ...base.launcher, command: '/nonexistent/x' } }, dir, {
        PATH: bin,
      }),
    ).toThrow(/does not exist or is not executable/);
  });
});

describe('runLauncher', () => {
  it('waits for the tunnel, runs the program without a shell and reports its exit', async () => {
    const states: LauncherRuntime[] = [];
    let open: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (open = resolve));
    const exited = new Promise<void>((resolve) => {
      runLauncher({
        profile: {
          ...profile,
          launcher: {
            command: '/bin/sh',
            args: ['-c', 'exit 3', '{socksPort}'],
            env: {},
            enabled: true,
          },
        },
        confDir: dir,
        ready: () => ready,
        onChange: (runtime) => {
          states.push(runtime);
          if (runtime.state === 'exited') resolve();
        },
      });
    });
    expect(states.at(-1)?.state).toBe('waiting');
    open();
    await exited;
    expect(states.map((s) => s.state)).toEqual(['waiting', 'running', 'exited']);
    expect(states.at(-1)).toMatchObject({ exitCode: 3, message: 'sh exited with status 3.' });
  });

  it('does not start the program when the tunnel never listens', async () => {
    const failed = await new Promise<LauncherRuntime>((resolve) => {
      runLauncher({
        profile: {
          ...profile,
          launcher: { command: '/bin/true', args: [], env: {}, enabled: true },
        },
        confDir: dir,
        ready: () => Promise.reject(new Error('Port 19050 is already in use.')),
        onChange: (runtime) => {
          if (runtime.state === 'failed') resolve(runtime);
        },
      });
    });
    expect(failed.message).toMatch(/not started because the tunnel is not listening: Port 19050/);
  });
});
