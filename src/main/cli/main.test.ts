/**
 * `main()` in-process with captured stdout/stderr: the same code path as the real process
 * (cli.test.ts) minus the spawn, so the finer points of output and parsing stay cheap to test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hostsCommands } from './commands/hosts';
import { sitesCommands } from './commands/sites';
import { main } from './main';
import { table } from './output';
import { USAGE } from './usage';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-main-'));
  vi.stubEnv('ONEHOP_HOME', home);
});
afterEach(() => {
  vi.unstubAllEnvs();
  fs.rmSync(home, { recursive: true, force: true });
});

interface Listing {
  sites: { name: string }[];
  hosts: Record<string, unknown>[];
  presets: { id: string }[];
}
const parse = (stdout: string) => JSON.parse(stdout) as Listing;

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

/** Exit code `code`, nothing on stdout, exactly one `onehop: …` line on stderr; returns it. */
async function failure(code: number, ...argv: string[]): Promise<string> {
  const result = await run(...argv);
  expect(result.code, result.stderr).toBe(code);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^onehop: [^\n]+\n$/);
  return result.stderr.trimEnd();
}

describe('human output', () => {
  it('sites: a hint when empty, then an aligned NAME KIND PROXY HOSTS table', async () => {
    expect(await run('sites')).toEqual({
      code: 0,
      stdout: "No sites yet. Add the centre's preset with: onehop sites add-preset ecmwf\n",
      stderr: '',
    });
    await run('sites', 'add-preset', 'ecmwf');
    await run('sites', 'add', '127.0.0.1:3080');
    expect((await run('sites')).stdout).toBe(
      [
        'NAME       KIND      PROXY               HOSTS',
        'ecmwf      teleport  jump.ecmwf.int:443  2',
        '127.0.0.1  teleport  127.0.0.1:3080      0',
        '',
      ].join('\n'),
    );
  });

  it('hosts: NAME HOST PORT LOGIN SITE ROUTE, "-" for unset cells', async () => {
    expect((await run('hosts')).stdout).toMatch(/^No hosts yet\..*onehop hosts add/);
    await run('sites', 'add', '127.0.0.1:3080', '--name', 'lab');
    const added = await run(
      'hosts',
      'add',
      'node1',
      '--site',
      'lab',
      '--host-name',
      'node1.lab',
      '--port',
      '2222',
      '--login',
      'ann',
    );
    expect(added).toEqual({
      code: 0,
      stdout: 'Added host node1 (node1.lab:2222, through site lab).\n',
      stderr: '',
    });
    const direct = await run(
      'hosts',
      'add',
      'gw',
      '--site',
      'lab',
      '--host-name',
      '10.0.0.1',
      '--direct',
    );
    expect(direct.stdout).toBe('Added host gw (10.0.0.1:22, direct).\n');
    expect((await run('hosts')).stdout).toBe(
      [
        'NAME   HOST       PORT  LOGIN  SITE  ROUTE',
        'node1  node1.lab  2222  ann    lab   jump',
        'gw     10.0.0.1   22    -      lab   direct',
        '',
      ].join('\n'),
    );
    expect(parse((await run('hosts', '--json')).stdout).hosts[1]).toEqual({
      name: 'gw',
      hostName: '10.0.0.1',
      port: 22,
      login: null,
      site: 'lab',
      route: 'direct',
    });
  });

  it('sites add names sites per cli.md; rm reports what went with the site', async () => {
    expect((await run('sites', 'add', '127.0.0.1:3080')).stdout).toBe(
      'Added site 127.0.0.1 (127.0.0.1:3080).\n',
    );
    expect(
      (await run('sites', 'add', 'https://127.0.0.1:3081/', '--ssh-port', '3023')).stdout,
    ).toBe('Added site 127.0.0.1-3081 (127.0.0.1:3081).\n');
    await run('hosts', 'add', 'n1', '--site', '127.0.0.1-3081', '--host-name', 'n1');
    expect(await run('sites', 'rm', '127.0.0.1-3081')).toEqual({
      code: 0,
      stdout: 'Removed site 127.0.0.1-3081 with 1 host and 0 tunnel profiles.\n',
      stderr: '',
    });
    expect(parse((await run('sites', '--json')).stdout).sites.map((s) => s.name)).toEqual([
      '127.0.0.1',
    ]);
    expect((await run('hosts', 'rm', 'n1')).code).toBe(1);
  });

  it('presets lists the presets add-preset knows', async () => {
    const { presets } = parse((await run('presets', '--json')).stdout);
    expect(presets.map((p) => p.id)).toEqual(['ecmwf']);
    expect((await run('presets')).stdout).toMatch(
      /^NAME +PROXY +HOSTS +DESCRIPTION\necmwf +jump\.ecmwf\.int:443 +hpc-login, ecs-login/,
    );
  });

  it('table() pads every column but the last to its widest cell', () => {
    expect(
      table(
        ['A', 'BB'],
        [
          ['xxx', 1],
          [null, ''],
        ],
      ),
    ).toBe('A    BB\nxxx  1\n-    -\n');
  });
});

describe('usage errors exit 2 with one line, before the settings are touched', () => {
  it.each([
    [[], /^onehop: Missing command\./],
    [['bogus'], /Unknown command "bogus"/],
    [['sites', 'bogus'], /Unknown command "sites bogus"/],
    [['sites', '--bogus'], /Unknown option --bogus/],
    [['-x'], /Unknown option -x/],
    [['sites', '--json=yes'], /--json takes no value/],
    [['sites', 'add-preset'], /Missing <name>\. Usage: onehop sites add-preset <name>$/],
    [['sites', 'add-preset', 'a', 'b'], /Unexpected argument "b"/],
    [['sites', 'add-preset', 'ecmwf', '--json'], /"onehop sites add-preset" has no option --json/],
    [
      ['hosts', 'add', 'h1', '--host-name', 'x'],
      /Missing --site\. Usage: onehop hosts add <name> --site <site> --host-name <host-name> \[--port <port>\]/,
    ],
    [['hosts', 'add', 'h1', '--site'], /Option --site needs a value/],
    [
      ['hosts', 'add', 'h1', '--site', 's', '--host-name', 'x', '--port', '22x'],
      /--port must be a port number/,
    ],
  ])('%j', async (argv, message) => {
    const line = await failure(2, ...argv);
    expect(line).toMatch(message);
    // Only the last case reaches the core (the port is checked by the command itself).
    if (!argv.includes('--port')) expect(fs.readdirSync(home)).toEqual([]);
  });

  it('an unknown preset is a usage error too, with the core’s message', async () => {
    expect(await failure(2, 'sites', 'add-preset', 'cern')).toBe(
      'onehop: Unknown preset "cern". Known presets: ecmwf.',
    );
  });
});

describe('failures from the core exit 1 with its message on one line', () => {
  it.each([
    [
      ['hosts', 'add', 'h1', '--site', 'nowhere', '--host-name', 'x'],
      /^onehop: Unknown site "nowhere"\./,
    ],
    [['hosts', 'rm', 'nobody'], /^onehop: Unknown host "nobody"\.$/],
    [['sites', 'rm', 'nowhere'], /^onehop: Unknown site "nowhere"\.$/],
    [
      ['sites', 'add', 'http://example.org'],
      /is not a Teleport proxy address: Teleport proxies are reached over https/,
    ],
    [
      ['hosts', 'add', 'h1', '--site', 's', '--host-name', 'x', '--port', '99999'],
      /"port" must be between 1 and 65535/,
    ],
  ])('%j', async (argv, message) => {
    expect(await failure(1, ...argv)).toMatch(message);
  });

  it('prints each notice of a recovered settings file as one warning line', async () => {
    fs.writeFileSync(path.join(home, 'settings.json'), '{\n"sites": [\n');
    const result = await run('hosts', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ hosts: [] });
    expect(result.stderr).toMatch(
      /^onehop: warning: Your settings file could not be read: [^\n]+\n$/,
    );
  });
});

describe('--help and --version', () => {
  it('help lists every command, the exit codes and ONEHOP_HOME', async () => {
    const help = await run('--help');
    expect(help).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    for (const spec of [...sitesCommands, ...hostsCommands]) {
      expect(USAGE).toContain(`onehop ${spec.words.join(' ')}`);
      for (const flag of spec.flags) expect(USAGE).toContain(`--${flag}`);
    }
    expect(USAGE).toMatch(/^ {2}2 +usage error/m);
    expect(USAGE).toContain('ONEHOP_HOME');
    // --help wins over everything else on the line, and `help` is a synonym.
    expect((await run('hosts', 'add', '--help')).stdout).toBe(USAGE);
    expect((await run('help')).stdout).toBe(USAGE);
    expect(fs.readdirSync(home)).toEqual([]);
  });

  it('-V prints the version of package.json', async () => {
    const pkg = JSON.parse(
      fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(await run('-V')).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});
