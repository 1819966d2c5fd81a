/**
 * The vault against the REAL Secret Service (gnome-keyring over D-Bus), and the plain messages
 * when the keychain is unavailable. CI runs the tests inside `dbus-run-session` with an unlocked
 * gnome-keyring (.ci/run); on a developer machine without a session bus the keyring suite skips.
 *
 * Locally: dbus-run-session -- sh -c 'echo -n pass | gnome-keyring-daemon --unlock
 *   --components=secrets >/dev/null; npx vitest run test/credentials'
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KEYCHAIN_SERVICE,
  Vault,
  createKeyringSecretStore,
  openVault,
  vaultKeyAccount,
  type SecretStore,
  type SiteCredentials,
} from '../../src/main/core/credentials/vault';
import { MISSING_TOOL_MARKER, isCi, requireTools } from '../support/tools';

const run = promisify(execFile);
const linux = process.platform === 'linux';
const tools = requireTools(['gnome-keyring-daemon', 'dbus-run-session', 'secret-tool']);
const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
if (linux && !bus && isCi()) {
  throw new Error(
    'DBUS_SESSION_BUS_ADDRESS is unset: CI must run the tests inside dbus-run-session with an ' +
      'unlocked gnome-keyring (see .ci/run); keychain tests must not skip in CI.',
  );
}
if (linux && !bus) {
  console.warn(
    'Skipping real-keyring tests: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset). Run ' +
      "them under: dbus-run-session -- sh -c 'echo -n pass | gnome-keyring-daemon --unlock " +
      "--components=secrets >/dev/null; npx vitest run test/credentials'",
  );
}
const noBusMarker = bus ? '' : ` ${MISSING_TOOL_MARKER}: D-Bus session bus]`;
const skipKeyring = !linux || tools.skip || !bus;

const credentials: SiteCredentials = {
  issuer: 'oidc-ca',
  username: 'alice',
  privateKeyPem:
    '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n',
  certificate: 'ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29t',
  refreshToken: 'refresh-token',
  obtainedAt: new Date().toISOString(),
};

describe.skipIf(skipKeyring)(
  `vault with the real gnome-keyring${tools.marker}${noBusMarker}`,
  () => {
    let dir: string;
    let store: SecretStore;
    const account = `test-${randomBytes(8).toString('hex')}`;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'onehop-keyring-'));
      store = await createKeyringSecretStore({ timeoutMs: 20_000 });
    });
    afterAll(async () => {
      // Leave no test entries in the keyring, even when an assertion failed half-way.
      await store.delete(account).catch(() => undefined);
      await store.delete(vaultKeyAccount(dir)).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    });

    it('stores, reads and deletes a binary secret', async () => {
      const secret = randomBytes(32);
      expect(await store.get(account)).toBeUndefined();
      await store.set(account, secret);
      expect((await store.get(account))?.equals(secret)).toBe(true);
      expect(store.describe()).toBe('the Secret Service keyring (D-Bus)');

      // It really is in the Secret Service, under the OneHop service name.
      const { stdout } = await run(
        tools.paths['secret-tool'] ?? 'secret-tool',
        ['lookup', 'service', KEYCHAIN_SERVICE, 'username', account],
        { encoding: 'buffer' },
      );
      expect(Buffer.from(stdout).equals(secret)).toBe(true);

      expect(await store.delete(account)).toBe(true);
      expect(await store.get(account)).toBeUndefined();
      expect(await store.delete(account)).toBe(false);
    });

    it('keeps the vault key in the keyring and reads the vault with a new instance', async () => {
      const first = await Vault.open({ dir, mode: 'keychain', secretStore: store });
      await first.put('ecmwf', credentials);
      expect((await store.get(vaultKeyAccount(dir)))?.length).toBe(32);
      expect((await stat(path.join(dir, 'vault.bin'))).mode & 0o777).toBe(0o600);

      const freshStore = await createKeyringSecretStore({ timeoutMs: 20_000 });
      const second = await Vault.open({ dir, mode: 'keychain', secretStore: freshStore });
      expect(await second.get('ecmwf')).toEqual(credentials);
      expect(await second.remove('ecmwf')).toBe(true);
      expect(await second.list()).toEqual([]);
    });

    it('openVault picks the keychain, without a warning', async () => {
      const { vault, warning } = await openVault({ dir, keyring: { timeoutMs: 20_000 } });
      expect(vault.mode).toBe('keychain');
      expect(warning).toBeUndefined();
    });
  },
);

interface ProbeResult {
  store: 'ok' | { name: string; reason: string; message: string };
  mode?: string;
  warning?: string;
  files?: string[];
  openError?: string;
}

const probe = path.join(import.meta.dirname, 'fixtures', 'keychain-probe.ts');

/** Runs the probe in a child process: the library keeps its D-Bus connection per process. */
async function runProbe(env: NodeJS.ProcessEnv, wrapper: string[] = []): Promise<ProbeResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'onehop-probe-'));
  try {
    const command = [...wrapper, process.execPath, '--import', 'tsx', probe, dir];
    const [file = '', ...args] = command;
    const { stdout } = await run(file, args, { env, timeout: 60_000 });
    const last = stdout.trim().split('\n').pop() ?? '';
    return JSON.parse(last) as ProbeResult;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An environment for the probe: no display, so no unlock prompt can appear on a dev machine. */
function probeEnv(extra: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_RUNTIME_DIR: home, ...extra };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  for (const [key, value] of Object.entries(extra)) if (value === undefined) delete env[key];
  return env;
}

function expectSessionOnly(result: ProbeResult, reason: string, message: RegExp): void {
  expect(result.store).toMatchObject({ name: 'KeychainUnavailableError', reason });
  expect(typeof result.store === 'object' ? result.store.message : '').toMatch(message);
  expect(result.mode).toBe('session-only');
  expect(result.warning).toMatch(message);
  expect(result.warning).toMatch(/credentials will be kept in memory until OneHop quits/);
  // Never anything on disk in session-only mode.
  expect(result.files).toEqual([]);
}

describe.skipIf(!linux || tools.skip)(`keychain unavailable${tools.marker}`, () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'onehop-nokeychain-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('names a session bus socket that does not exist', async () => {
    const socket = path.join(home, 'no-such-bus');
    const result = await runProbe(
      probeEnv({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}` }, home),
    );
    expectSessionOnly(
      result,
      'no-session-bus',
      new RegExp(
        `^No keychain is reachable: the D-Bus session bus at unix:path=${socket} does not answer`,
      ),
    );
  });

  it('names an unset DBUS_SESSION_BUS_ADDRESS', async () => {
    const result = await runProbe(probeEnv({ DBUS_SESSION_BUS_ADDRESS: undefined }, home));
    expectSessionOnly(
      result,
      'no-session-bus',
      /^No keychain is reachable: no D-Bus session bus \(DBUS_SESSION_BUS_ADDRESS is unset\)/,
    );
  });

  it('names a session bus without a Secret Service provider', async () => {
    // A session bus that knows no services, so nothing can be activated as org.freedesktop.secrets.
    const config = path.join(home, 'bus.conf');
    await writeFile(
      config,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${home}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
<allow own="*"/></policy></busconfig>`,
    );
    const dbusRunSession = tools.paths['dbus-run-session'] ?? 'dbus-run-session';
    const result = await runProbe(probeEnv({}, home), [
      dbusRunSession,
      `--config-file=${config}`,
      '--',
    ]);
    expectSessionOnly(result, 'no-provider', /no Secret Service provider/);
  });

  it('names a locked keyring', async () => {
    // Session 1 creates a password-protected login keyring; session 2 finds it locked and, with
    // no display for the unlock prompt, the prompt is dismissed.
    const lockedHome = await mkdtemp(path.join(home, 'locked-'));
    const dbusRunSession = tools.paths['dbus-run-session'] ?? 'dbus-run-session';
    const daemon = tools.paths['gnome-keyring-daemon'] ?? 'gnome-keyring-daemon';
    const env = probeEnv({}, lockedHome);
    await run(
      dbusRunSession,
      ['--', 'sh', '-c', `echo -n pass | "${daemon}" --unlock --components=secrets >/dev/null`],
      { env, timeout: 30_000 },
    );
    const result = await runProbe(env, [
      dbusRunSession,
      '--',
      'sh',
      '-c',
      `"${daemon}" --start --components=secrets >/dev/null && exec "$@"`,
      'sh',
    ]);
    expectSessionOnly(result, 'locked', /^The keychain is locked/);
    expect(await readdir(lockedHome)).not.toContain('vault.bin');
  });
});
