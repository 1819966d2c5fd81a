import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsSchema, SiteSchema, type Settings } from '../../../../shared/model/settings';
import { lexConfigLine, matchHostPatterns } from './lexer';
import { applyImport, buildImportPreview } from './importPreview';
import { parseSshConfig, resolveHost } from './parse';

const home = path.resolve('test/fixtures/ssh_config/home');
const ssh = path.join(home, '.ssh');

function settings(extra: Partial<Settings> = {}): Settings {
  return SettingsSchema.parse({
    version: 1,
    sites: [
      {
        kind: 'teleport',
        name: 'ecmwf',
        proxy: { host: 'jump.ecmwf.int', webPort: 443, sshPort: 22 },
        hostPatterns: ['hpc-*'],
      },
    ],
    ...extra,
  });
}

describe('ssh_config lexer', () => {
  it('reads keywords case-insensitively, Key=Value, quotes, escapes and comments', () => {
    expect(lexConfigLine('  HostName=example.org')).toEqual({
      keyword: 'hostname',
      args: ['example.org'],
    });
    expect(lexConfigLine('Port = 2222')).toEqual({ keyword: 'port', args: ['2222'] });
    expect(lexConfigLine('IdentityFile "/a b/c" \'d e\' f\\ g # comment')).toEqual({
      keyword: 'identityfile',
      args: ['/a b/c', 'd e', 'f g'],
    });
    expect(lexConfigLine('User "a\\"b"')).toEqual({ keyword: 'user', args: ['a"b'] });
    expect(lexConfigLine('   # just a comment')).toBeNull();
    expect(lexConfigLine('')).toBeNull();
    expect(() => lexConfigLine('User "open')).toThrow(/unterminated quote/);
  });

  it('matches Host patterns with *, ? and negation, ignoring case', () => {
    expect(matchHostPatterns(['hpc-*'], 'HPC-Login')).toBe(true);
    expect(matchHostPatterns(['a?-*'], 'ab-1')).toBe(true);
    expect(matchHostPatterns(['a?-*'], 'abc-1')).toBe(false);
    expect(matchHostPatterns(['lab-?', '!lab-x'], 'lab-x')).toBe(false);
    expect(matchHostPatterns(['lab-?', '!lab-x'], 'lab-1')).toBe(true);
    expect(matchHostPatterns(['!lab-x'], 'other')).toBe(false);
  });
});

describe('ssh_config parser', () => {
  it('follows Includes (globs, ~, relative to ~/.ssh, nested, cycles) and skips Match', async () => {
    const config = await parseSshConfig({ homeDir: home });
    expect(config.concreteHosts.map((h) => h.alias)).toEqual([
      'hpc-login',
      'work',
      'loop-host',
      'ecs-login',
      'analysis',
      'via-bastion',
      'bastion',
      'lab-1',
      'lab-x',
      'legacy',
      'bad_name!',
    ]);
    const notices = config.notices.map(
      (n) => `${path.relative(ssh, n.file)}:${n.line}: ${n.message}`,
    );
    expect(notices).toEqual(
      expect.arrayContaining([
        'config:4: Include ~/.ssh/missing.conf matched no files.',
        expect.stringMatching(/^loop\.conf:2: Include of .*loop\.conf skipped: it includes itself/),
        'config:29: "Match host analysis exec true" was skipped: OneHop imports only Host sections.',
        'conf.d/nested.part:3: Host "extra-from-nested" was skipped: it is included under another Host line and never applies.',
      ]),
    );
  });

  it('resolves values with first-obtained-wins, wildcard defaults and conditional includes', async () => {
    const config = await parseSshConfig({ homeDir: home });
    const value = (alias: string, keyword: string) =>
      resolveHost(config, alias).values.get(keyword)?.args.join(' ');
    // hpc-* in conf.d comes first in file order, so its User wins (as in OpenSSH).
    expect(value('hpc-login', 'user')).toBe('hpcuser');
    expect(value('ecs-login', 'user')).toBe('defaultuser');
    expect(value('analysis', 'user')).toBe('carol');
    expect(value('work', 'user')).toBe('worker');
    expect(value('work', 'hostname')).toBe('work.example.org');
    expect(value('lab-1', 'user')).toBe('labuser');
    expect(value('lab-x', 'user')).toBe('defaultuser');
    expect(value('analysis', 'serveraliveinterval')).toBe('30');
    // The Match block's LocalForward never counts.
    expect(
      resolveHost(config, 'analysis')
        .lists.get('localforward')
        ?.map((d) => d.args[0]),
    ).toEqual(['*:8080', '/tmp/socket']);
  });

  it('treats a missing config as empty', async () => {
    const config = await parseSshConfig({ homeDir: path.join(home, 'nowhere') });
    expect(config.concreteHosts).toEqual([]);
  });
});

describe('import preview', () => {
  it('maps hosts, jump routes and forwards, with notices for what it cannot import', async () => {
    const config = await parseSshConfig({ homeDir: home });
    const preview = buildImportPreview(config, settings());
    const byName = new Map(preview.hosts.map((c) => [c.host.name, c.host]));
    expect(byName.get('hpc-login')).toMatchObject({
      hostName: 'hpc-login',
      port: 22,
      login: 'hpcuser',
      site: 'ecmwf',
      route: 'jump',
    });
    expect(byName.get('ecs-login')).toMatchObject({ site: 'ecmwf', route: 'jump' });
    expect(byName.get('analysis')).toMatchObject({
      hostName: 'analysis.example.org',
      port: 2222,
      login: 'carol',
      route: 'direct',
    });
    expect(byName.get('analysis')?.site).toBeUndefined();
    expect(byName.get('lab-1')).toMatchObject({
      hostName: 'lab-1.lab.example.org',
      login: 'labuser',
    });
    expect(byName.get('via-bastion')).toMatchObject({ hostName: '10.1.2.3', route: 'direct' });
    expect(byName.get('bastion')).toMatchObject({ hostName: 'gateway.example.org', port: 2200 });
    expect(byName.has('bad_name!')).toBe(false);
    expect(preview.hosts.every((c) => c.status === 'new')).toBe(true);

    const hpcTunnel = preview.tunnels.find((t) => t.profile.name === 'hpc-login forwards');
    expect(hpcTunnel?.profile).toMatchObject({
      site: 'ecmwf',
      via: 'hpcuser@hpc-login',
      forwards: [
        {
          kind: 'local',
          bindAddress: '127.0.0.1',
          bindPort: 4141,
          targetHost: 'machine1',
          targetPort: 4141,
        },
        {
          kind: 'local',
          bindAddress: '127.0.0.1',
          bindPort: 3142,
          targetHost: 'machine2',
          targetPort: 3142,
        },
      ],
    });
    expect(hpcTunnel?.networkBind).toBe(false);
    const analysisTunnel = preview.tunnels.find((t) => t.profile.name === 'analysis forwards');
    expect(analysisTunnel?.profile.forwards).toEqual([
      { kind: 'local', bindAddress: '0.0.0.0', bindPort: 8080, targetHost: 'web', targetPort: 80 },
      { kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: 9050 },
    ]);
    expect(analysisTunnel?.networkBind).toBe(true);

    const text = preview.notices.join('\n');
    expect(text).toMatch(/ProxyJump bastion of "via-bastion" is not the proxy of a OneHop site/);
    expect(text).toMatch(/ProxyCommand of "legacy" was not imported/);
    expect(text).toMatch(
      /LocalForward \/tmp\/socket \/run\/remote\.sock of "analysis" was not imported/,
    );
    expect(text).toMatch(/Host "bad_name!" was skipped/);
    expect(text).toMatch(/config:29: "Match host analysis/);
  });

  it('a ProxyJump through another Host alias to a site proxy makes a jump host; the proxy itself is skipped', async () => {
    const config = await parseSshConfig({ homeDir: home });
    const withBastion = settings();
    withBastion.sites.push(
      SiteSchema.parse({
        kind: 'teleport',
        name: 'gw',
        proxy: { host: 'gateway.example.org', sshPort: 2200 },
      }),
    );
    const preview = buildImportPreview(config, withBastion);
    const names = preview.hosts.map((c) => c.host.name);
    expect(preview.hosts.find((c) => c.host.name === 'via-bastion')?.host).toMatchObject({
      site: 'gw',
      route: 'jump',
    });
    expect(names).not.toContain('bastion');
    expect(preview.notices.join('\n')).toMatch(
      /Host "bastion" was skipped: it is the proxy of site gw/,
    );
  });

  it('never duplicates on a second import and reports what is already present', async () => {
    const config = await parseSshConfig({ homeDir: home });
    const draft = settings();
    const first = applyImport(draft, buildImportPreview(config, draft));
    expect(first.hostsAdded).toContain('hpc-login');
    expect(first.tunnelsAdded).toEqual(['hpc-login forwards', 'ecs-login forwards']);
    expect(first.skipped.join('\n')).toMatch(
      /Tunnel "analysis forwards" was not added: it listens on a network address/,
    );
    const hostCount = draft.hosts.length;
    expect(() => SettingsSchema.parse(draft)).not.toThrow();

    const again = buildImportPreview(config, draft);
    expect(again.hosts.every((c) => c.status === 'already-present')).toBe(true);
    const second = applyImport(draft, again, { allowNetworkBind: true });
    expect(second.hostsAdded).toEqual([]);
    expect(second.tunnelsAdded).toEqual(['analysis forwards']);
    expect(second.alreadyPresent).toEqual(
      expect.arrayContaining(['hpc-login', 'hpc-login forwards']),
    );
    expect(draft.hosts).toHaveLength(hostCount);
  });

  it('does not overwrite a different saved host of the same name', async () => {
    const config = await parseSshConfig({ homeDir: home });
    const draft = settings({
      hosts: [
        {
          name: 'analysis',
          hostName: 'other.example.org',
          port: 22,
          route: 'direct',
          favourite: true,
        },
      ],
    });
    const preview = buildImportPreview(config, draft);
    expect(preview.hosts.find((c) => c.host.name === 'analysis')?.status).toBe('name-taken');
    const outcome = applyImport(draft, preview);
    expect(outcome.skipped.join('\n')).toMatch(
      /Host "analysis" was not added: a different host has that name/,
    );
    expect(draft.hosts.filter((h) => h.name === 'analysis')).toHaveLength(1);
  });
});

describe("OneHop's own generated config", () => {
  it('is not imported back when ~/.ssh/config Includes it', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-parse-'));
    try {
      mkdirSync(path.join(dir, '.ssh', 'onehop'), { recursive: true });
      writeFileSync(
        path.join(dir, '.ssh', 'config'),
        'Include ~/.ssh/onehop/config\nHost mine\n  HostName mine.example.org\n',
      );
      writeFileSync(path.join(dir, '.ssh', 'onehop', 'config'), 'Host hpc-login\n  User alice\n');
      const config = await parseSshConfig({ homeDir: dir });
      expect(config.concreteHosts.map((h) => h.alias)).toEqual(['mine']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
