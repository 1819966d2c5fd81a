import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContractError } from '../../../shared/contract';
import type { Settings } from '../../../shared/model/settings';
import { SettingsStore, parseSettingsText } from './store';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-store-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(root, { recursive: true, force: true });
});

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Settings;
const fixedNow = () => new Date('2024-01-02T03:04:05.678Z');
const ASIDE = 'settings.json.corrupt-2024-01-02T03-04-05-678Z';

/** Runs `fn`, which must throw a ContractError, and returns it. */
function contractErrorOf(fn: () => unknown): ContractError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('expected a ContractError, nothing was thrown');
}

function writeSettings(dir: string, text: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'settings.json');
  fs.writeFileSync(file, text);
  return file;
}

describe('SettingsStore.open', () => {
  it('creates the directory (0700) and settings.json (0600) with empty settings', () => {
    const dir = path.join(root, 'a', 'b');
    const store = SettingsStore.open(dir);
    expect(store.file).toBe(path.join(dir, 'settings.json'));
    expect(mode(dir)).toBe(0o700);
    expect(mode(store.file)).toBe(0o600);
    const onDisk = readJson(store.file);
    expect(onDisk).toMatchObject({ version: 1, sites: [], hosts: [], tunnels: [] });
    expect(store.get()).toEqual(onDisk);
    expect(store.notices()).toEqual([]);
  });

  it('reads an existing file; a file without "version" is format 1', () => {
    writeSettings(root, JSON.stringify({ hosts: [{ name: 'h1', hostName: 'node1' }] }));
    const store = SettingsStore.open(root);
    expect(store.get().version).toBe(1);
    expect(store.get().hosts).toEqual([
      { name: 'h1', hostName: 'node1', port: 22, route: 'jump', favourite: false },
    ]);
    expect(store.notices()).toEqual([]);
  });

  it.each([
    ['invalid JSON', '{"version": 1,\n  "sites": [oops', /not valid JSON/],
    ['a JSON array', '[]', /does not hold a JSON object/],
    [
      'a schema violation',
      JSON.stringify({ version: 1, hosts: [{ name: 'bad name!', hostName: 'x' }] }),
      /"hosts\.0\.name"/,
    ],
    ['an unusable version', JSON.stringify({ version: 0 }), /could not be upgraded/],
  ])('moves %s aside with a notice and starts empty', (_what, text, reason) => {
    const file = writeSettings(root, text);
    const store = SettingsStore.open(root, fixedNow);

    const aside = path.join(root, ASIDE);
    expect(fs.readFileSync(aside, 'utf8')).toBe(text);
    expect(store.get()).toMatchObject({ version: 1, sites: [], hosts: [] });
    expect(readJson(file)).toMatchObject({ version: 1, hosts: [] });

    const notices = store.notices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ level: 'warning', id: `settings-recovered-${ASIDE}` });
    expect(notices[0]?.message).toMatch(reason);
    expect(notices[0]?.message).toContain(aside);

    expect(store.dismissNotice('no-such-notice')).toBe(false);
    expect(store.dismissNotice(`settings-recovered-${ASIDE}`)).toBe(true);
    expect(store.notices()).toEqual([]);
  });

  it('refuses a file from a newer format with a storage error and leaves it untouched', () => {
    const text = '{"version": 7, "somethingNew": true}';
    const file = writeSettings(root, text);
    const error = contractErrorOf(() => SettingsStore.open(root, fixedNow));
    expect(error.code).toBe('storage');
    expect(error.message).toMatch(/newer OneHop \(format 7\)/);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    expect(fs.readdirSync(root)).toEqual(['settings.json']);
  });

  it('refuses a data directory below a regular file, naming the directory', () => {
    fs.writeFileSync(path.join(root, 'file'), 'x');
    const dir = path.join(root, 'file', 'onehop');
    const error = contractErrorOf(() => SettingsStore.open(dir));
    expect(error.code).toBe('storage');
    expect(error.message).toContain(dir);
    expect(error.message).toContain('ONEHOP_HOME');
    expect(error.message).not.toContain('\n');
  });

  it('refuses a directory it may not write, as a storage error', () => {
    const dir = path.join(root, 'locked');
    fs.mkdirSync(dir);
    if (process.getuid?.() === 0) {
      // root ignores permission bits, so make the permission check fail as it would for a user.
      vi.spyOn(fs, 'accessSync').mockImplementation(() => {
        throw Object.assign(new Error(`EACCES: permission denied, access '${dir}'`), {
          code: 'EACCES',
        });
      });
    } else {
      fs.chmodSync(dir, 0o500);
    }
    const error = contractErrorOf(() => SettingsStore.open(dir));
    expect(error.code).toBe('storage');
    expect(error.message).toBe(
      `OneHop cannot use its data directory ${dir}: permission denied. Choose a writable directory with ONEHOP_HOME.`,
    );
    expect(fs.existsSync(path.join(dir, 'settings.json'))).toBe(false);
  });
});

describe('SettingsStore.update', () => {
  it('writes atomically: the new content, mode 0600, no temporary file left behind', () => {
    const store = SettingsStore.open(root);
    fs.chmodSync(store.file, 0o644);
    const result = store.update((draft) => {
      draft.hosts.push({
        name: 'h1',
        hostName: 'node1',
        port: 2222,
        route: 'direct',
        favourite: false,
      });
    });
    expect(result.hosts.map((h) => h.name)).toEqual(['h1']);
    expect(readJson(store.file).hosts[0]).toMatchObject({
      name: 'h1',
      port: 2222,
    });
    expect(fs.readdirSync(root)).toEqual(['settings.json']);
    expect(mode(store.file)).toBe(0o600);
    // A fresh store sees what was written.
    expect(SettingsStore.open(root).get().hosts).toEqual(result.hosts);
  });

  it('refuses an invalid result with per-field messages and leaves the file byte-identical', () => {
    const store = SettingsStore.open(root);
    store.update((draft) => {
      draft.ui.theme = 'dark';
    });
    const before = fs.readFileSync(store.file);
    const error = contractErrorOf(() =>
      store.update((draft) => {
        draft.ui.theme = 'light';
        draft.hosts.push({
          name: 'h1',
          hostName: 'node1',
          port: 0,
          route: 'jump',
          favourite: false,
        });
      }),
    );
    expect(error.code).toBe('invalid-request');
    expect(error.fields).toEqual({ 'hosts.0.port': 'must be between 1 and 65535' });
    expect(fs.readFileSync(store.file).equals(before)).toBe(true);
    expect(store.get().ui.theme).toBe('dark');
    expect(fs.readdirSync(root)).toEqual(['settings.json']);
  });

  it('reports a data directory that became unusable as a storage error', () => {
    const dir = path.join(root, 'home');
    const store = SettingsStore.open(dir);
    fs.rmSync(dir, { recursive: true });
    fs.writeFileSync(dir, 'not a directory');
    const error = contractErrorOf(() =>
      store.update((draft) => {
        draft.ui.theme = 'dark';
      }),
    );
    expect(error.code).toBe('storage');
    expect(error.message).toContain(dir);
  });
});

describe('SettingsStore.get after the file changed underneath', () => {
  it('sees changes written by another process', () => {
    const store = SettingsStore.open(root);
    SettingsStore.open(root).update((draft) => {
      draft.ui.copyOnSelect = true;
    });
    expect(store.get().ui.copyOnSelect).toBe(true);
  });

  it('treats a deleted file as empty settings', () => {
    const store = SettingsStore.open(root);
    store.update((draft) => {
      draft.ui.theme = 'dark';
    });
    fs.rmSync(store.file);
    expect(store.get()).toMatchObject({ version: 1, sites: [], ui: { theme: 'system' } });
  });

  it('reports a file broken while open as a storage error and leaves it alone', () => {
    const store = SettingsStore.open(root);
    fs.writeFileSync(store.file, '{"version":');
    const error = contractErrorOf(() => store.get());
    expect(error.code).toBe('storage');
    expect(error.message).toContain(store.file);
    expect(fs.readFileSync(store.file, 'utf8')).toBe('{"version":');
  });
});

describe('parseSettingsText', () => {
  it('applies the defaults of the model', () => {
    expect(parseSettingsText('{"version":1}')).toEqual({
      version: 1,
      sites: [],
      hosts: [],
      tunnels: [],
      ui: {
        theme: 'system',
        firstRunDone: false,
        terminalFontSize: 13,
        terminalFontFamily: '',
        copyOnSelect: false,
        expiryWarningMinutes: 60,
      },
    });
  });
});
