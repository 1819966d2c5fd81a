/**
 * The real `onehop` process: `node bin/onehop.js` with a fresh ONEHOP_HOME per test. Each spawn
 * costs ~0.5 s, so this file covers what only a real process shows (exit codes, stdout/stderr
 * separation, files on disk); the finer output is tested in-process in main.test.ts.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bin = path.join(repo, 'bin', 'onehop.js');
const version = (
  JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string }
).version;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-cli-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let homes = 0;
/** A data directory of its own for each test, so the tests can run concurrently. */
const freshHome = () => path.join(root, `home-${++homes}`);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function onehop(home: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: root, env: { ...process.env, ONEHOP_HOME: home }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Usage and runtime errors are exactly one `onehop: …` line on stderr and nothing on stdout. */
function expectOneErrorLine(run: Run, code: number): string {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^onehop: [^\n]+\n$/);
  return run.stderr;
}

// Generous timeout: on a loaded 2-core machine a handful of concurrent spawns can take seconds.
describe.concurrent('onehop CLI (real process)', { timeout: 40_000 }, () => {
  it('the bin is executable and starts with a node shebang', () => {
    expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
    expect(fs.readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('sites --json on a fresh home prints {"sites":[]} and nothing else', async () => {
    const home = freshHome();
    const run = await onehop(home, 'sites', '--json');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ sites: [] });
    expect(fs.statSync(path.join(home, 'settings.json')).mode & 0o777).toBe(0o600);
  });

  it('adds the ecmwf preset once, lists its hosts, and refuses it a second time', async () => {
    const home = freshHome();
    const added = await onehop(home, 'sites', 'add-preset', 'ecmwf');
    expect(added).toEqual({
      code: 0,
      stdout: 'Added site ecmwf (jump.ecmwf.int:443) with 2 hosts and 2 tunnel profiles.\n',
      stderr: '',
    });

    const settingsFile = path.join(home, 'settings.json');
    const before = fs.readFileSync(settingsFile);
    const again = await onehop(home, 'sites', 'add-preset', 'ecmwf');
    expect(expectOneErrorLine(again, 1)).toMatch(/already exists/);
    expect(fs.readFileSync(settingsFile).equals(before)).toBe(true);

    const [hosts, sites] = await Promise.all([
      onehop(home, 'hosts', '--json'),
      onehop(home, 'sites', '--json'),
    ]);
    expect(hosts.code).toBe(0);
    expect(JSON.parse(hosts.stdout)).toEqual({
      hosts: [
        {
          name: 'hpc-login',
          hostName: 'hpc-login',
          port: 22,
          login: null,
          site: 'ecmwf',
          route: 'jump',
        },
        {
          name: 'ecs-login',
          hostName: 'ecs-login',
          port: 22,
          login: null,
          site: 'ecmwf',
          route: 'jump',
        },
      ],
    });
    expect(JSON.parse(sites.stdout)).toEqual({
      sites: [
        {
          name: 'ecmwf',
          kind: 'teleport',
          proxy: 'jump.ecmwf.int:443',
          hostPatterns: ['a?-*', 'a??-*', 'hpc-*', 'hpc2020-*', 'ecs-*'],
          hosts: 2,
        },
      ],
    });
  });

  it('an unknown preset is a usage error (exit 2) naming the known presets', async () => {
    const run = await onehop(freshHome(), 'sites', 'add-preset', 'cern');
    const line = expectOneErrorLine(run, 2);
    expect(line).toContain('"cern"');
    expect(line).toContain('Known presets: ecmwf');
  });

  it('an unknown command or flag is a usage error (exit 2) that touches no settings', async () => {
    const home = freshHome();
    const [command, flag] = await Promise.all([
      onehop(home, 'frobnicate'),
      onehop(home, 'sites', '--frobnicate'),
    ]);
    expect(expectOneErrorLine(command, 2)).toContain('"frobnicate"');
    expect(expectOneErrorLine(flag, 2)).toContain('--frobnicate');
    expect(fs.existsSync(home)).toBe(false);
  });

  it('--version prints the package version; --help exits 0 with the usage', async () => {
    const [ver, help] = await Promise.all([
      onehop(freshHome(), '--version'),
      onehop(freshHome(), '--help'),
    ]);
    expect(ver).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^Usage: onehop <command>/);
  });

  it('ONEHOP_HOME below a regular file: exit 1, one plain line naming the directory', async () => {
    const file = path.join(root, `plain-file-${++homes}`);
    fs.writeFileSync(file, 'not a directory');
    const home = path.join(file, 'onehop');
    const line = expectOneErrorLine(await onehop(home, 'sites'), 1);
    expect(line).toContain(home);
    expect(line).not.toMatch(/\bat .*:\d+:\d+/); // no stack trace
  });

  it('a corrupted settings.json is moved aside with a warning and the command still works', async () => {
    const home = freshHome();
    fs.mkdirSync(home);
    const original = '{\n  "version": 1,\n  "sites": [ {"name": "half-written"\n';
    fs.writeFileSync(path.join(home, 'settings.json'), original);

    const run = await onehop(home, 'sites', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ sites: [] });

    const warnings = run.stderr.split('\n').filter(Boolean);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^onehop: warning: /);
    const aside = /settings\.json\.corrupt-[0-9TZ-]+/.exec(warnings[0] ?? '')?.[0];
    expect(aside).toBeDefined();
    expect(fs.readFileSync(path.join(home, aside!), 'utf8')).toBe(original);
    expect(fs.readdirSync(home).sort()).toEqual(['settings.json', aside]);
  });
});
