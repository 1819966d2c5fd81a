import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ContractError,
  createClient,
  type OneHopClient,
  type RpcEvent,
} from '../../../shared/contract';
import type { Settings } from '../../../shared/model/settings';
import { createCore, type Core } from '../index';
import { parseProxyAddress } from './commands';

let dir: string;
let core: Core;
let client: OneHopClient;
let events: RpcEvent[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-commands-'));
  core = createCore({ dataDir: dir, host: 'cli', version: '9.8.7', log: () => {} });
  events = [];
  core.events.subscribe((event) => events.push(event));
  client = createClient({
    invoke: (command, payload) => core.dispatcher.dispatch(command, payload),
    subscribe: (listener) => core.events.subscribe(listener),
  });
});
afterEach(async () => {
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const settings = async (): Promise<Settings> => (await client.call('settings.get', {})).settings;
const onDisk = () =>
  JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')) as Settings;

async function contractErrorOf(promise: Promise<unknown>): Promise<ContractError> {
  const error = await promise.then(
    () => new Error('expected the call to fail'),
    (reason: unknown) => reason,
  );
  if (error instanceof ContractError) return error;
  throw error;
}

describe('app.info', () => {
  it('names the host, version and data directory', async () => {
    await expect(client.call('app.info', {})).resolves.toMatchObject({
      name: 'OneHop',
      version: '9.8.7',
      host: 'cli',
      dataDir: dir,
    });
  });
});

describe('sites.addPreset', () => {
  it('adds the ecmwf site, its 2 hosts and 2 tunnel profiles, and announces the change', async () => {
    const added = await client.call('sites.addPreset', { presetId: 'ecmwf' });
    expect(added).toMatchObject({ hostsAdded: 2, tunnelsAdded: 2 });
    expect(added.site).toMatchObject({
      kind: 'teleport',
      name: 'ecmwf',
      presetId: 'ecmwf',
      proxy: { host: 'jump.ecmwf.int', webPort: 443, sshPort: 22 },
    });

    const saved = onDisk();
    expect(saved.sites.map((s) => s.name)).toEqual(['ecmwf']);
    expect(saved.hosts.map((h) => [h.name, h.site, h.route])).toEqual([
      ['hpc-login', 'ecmwf', 'jump'],
      ['ecs-login', 'ecmwf', 'jump'],
    ]);
    expect(saved.tunnels.map((t) => t.name)).toEqual(['ecFlow SOCKS', 'ecFlow local']);

    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({ event: 'settings.changed', payload: { settings: saved } });
  });

  it('refuses the same preset twice with a conflict and changes nothing', async () => {
    await client.call('sites.addPreset', { presetId: 'ecmwf' });
    const before = fs.readFileSync(path.join(dir, 'settings.json'));
    const error = await contractErrorOf(client.call('sites.addPreset', { presetId: 'ecmwf' }));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/"ecmwf" already exists/);
    expect(fs.readFileSync(path.join(dir, 'settings.json')).equals(before)).toBe(true);
    expect(events).toHaveLength(1);
  });

  it('answers an unknown preset with not-found, listing the known presets', async () => {
    const error = await contractErrorOf(client.call('sites.addPreset', { presetId: 'cern' }));
    expect(error.code).toBe('not-found');
    expect(error.message).toBe('Unknown preset "cern". Known presets: ecmwf.');
    expect((await settings()).sites).toEqual([]);
  });
});

describe('sites.addTeleport', () => {
  it('names a site after its host, and appends the port when another address has that name', async () => {
    const first = await client.call('sites.addTeleport', { address: '127.0.0.1:3080' });
    expect(first.site).toMatchObject({
      kind: 'teleport',
      name: '127.0.0.1',
      proxy: { host: '127.0.0.1', webPort: 3080, sshPort: 22 },
    });
    const second = await client.call('sites.addTeleport', { address: '127.0.0.1:3081' });
    expect(second.site.name).toBe('127.0.0.1-3081');
    expect((await settings()).sites.map((s) => s.name)).toEqual(['127.0.0.1', '127.0.0.1-3081']);
  });

  it('refuses the same address twice instead of adding a duplicate under another name', async () => {
    await client.call('sites.addTeleport', { address: '127.0.0.1:3080' });
    const error = await contractErrorOf(
      client.call('sites.addTeleport', { address: 'https://127.0.0.1:3080/' }),
    );
    expect(error.code).toBe('conflict');
    expect((await settings()).sites).toHaveLength(1);
  });

  it('takes --name and --ssh-port; a taken name is a conflict', async () => {
    const { site } = await client.call('sites.addTeleport', {
      address: 'teleport.example.org',
      name: 'lab',
      sshPort: 3023,
    });
    expect(site).toMatchObject({
      name: 'lab',
      proxy: { host: 'teleport.example.org', webPort: 443, sshPort: 3023 },
    });
    const error = await contractErrorOf(
      client.call('sites.addTeleport', { address: 'other.example.org', name: 'lab' }),
    );
    expect(error).toMatchObject({
      code: 'conflict',
      fields: { name: 'is already used by another site' },
    });
  });

  it('refuses a bad address as invalid-request, not as an internal error', async () => {
    for (const address of ['http://example.org', 'https://example.org:0', 'a b']) {
      const error = await contractErrorOf(client.call('sites.addTeleport', { address }));
      expect(error.code, address).toBe('invalid-request');
      expect(error.fields, address).toHaveProperty('address');
    }
    expect((await settings()).sites).toEqual([]);
  });
});

describe('parseProxyAddress', () => {
  it.each([
    ['https://host:3080/', { host: 'host', port: 3080 }],
    ['host', { host: 'host', port: 443 }],
    ['host:8443', { host: 'host', port: 8443 }],
    ['  Jump.Example.ORG  ', { host: 'jump.example.org', port: 443 }],
    ['https://jump.example.org/web/login', { host: 'jump.example.org', port: 443 }],
    ['[::1]:3080', { host: '[::1]', port: 3080 }],
  ])('%j → %j', (address, expected) => {
    expect(parseProxyAddress(address)).toEqual(expected);
  });

  it.each([
    ['', /not a host name/],
    ['host:abc', /not a host name/],
    ['host:70000', /not a host name/],
    ['ho st', /not a host name/],
    ['http://host', /over https/],
    ['ssh://host', /over https/],
    ['user@host', /user name/],
    ['https://user:pw@host', /user name/],
    ['host:0', /port 0/],
  ])('refuses %j', (address, why) => {
    let caught: unknown;
    try {
      parseProxyAddress(address);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContractError);
    expect((caught as ContractError).code).toBe('invalid-request');
    expect((caught as ContractError).message).toMatch(why);
  });
});

describe('sites.remove', () => {
  it('removes the site with its hosts and tunnel profiles, and nothing else', async () => {
    await client.call('sites.addPreset', { presetId: 'ecmwf' });
    await client.call('hosts.add', { name: 'plain', hostName: 'example.org' });
    await expect(client.call('sites.remove', { name: 'ecmwf' })).resolves.toEqual({
      hostsRemoved: 2,
      tunnelsRemoved: 2,
    });
    const after = onDisk();
    expect(after.sites).toEqual([]);
    expect(after.hosts.map((h) => h.name)).toEqual(['plain']);
    expect(after.tunnels).toEqual([]);
    const error = await contractErrorOf(client.call('sites.remove', { name: 'ecmwf' }));
    expect(error.code).toBe('not-found');
  });
});

describe('hosts', () => {
  it('adds a host to a site; without a site the route is direct', async () => {
    await client.call('sites.addTeleport', { address: '127.0.0.1:3080', name: 'lab' });
    const jump = await client.call('hosts.add', {
      name: 'node1',
      hostName: 'node1.lab',
      site: 'lab',
      login: 'ann',
      port: 2222,
    });
    expect(jump.host).toEqual({
      name: 'node1',
      hostName: 'node1.lab',
      site: 'lab',
      login: 'ann',
      port: 2222,
      route: 'jump',
      favourite: false,
    });
    const plain = await client.call('hosts.add', { name: 'plain', hostName: '10.0.0.1' });
    expect(plain.host.route).toBe('direct');
    expect(onDisk().hosts.map((h) => h.name)).toEqual(['node1', 'plain']);
  });

  it('answers an unknown site with not-found on the site field, and adds nothing', async () => {
    const error = await contractErrorOf(
      client.call('hosts.add', { name: 'node1', hostName: 'node1', site: 'nowhere' }),
    );
    expect(error.code).toBe('not-found');
    expect(error.message).toContain('"nowhere"');
    expect(error.fields).toEqual({ site: 'no such site' });
    expect(onDisk().hosts).toEqual([]);
  });

  it('refuses a duplicate name; removes and marks favourites by name', async () => {
    await client.call('hosts.add', { name: 'h1', hostName: 'a' });
    const duplicate = await contractErrorOf(
      client.call('hosts.add', { name: 'h1', hostName: 'b' }),
    );
    expect(duplicate.code).toBe('conflict');

    const { host } = await client.call('hosts.setFavourite', { name: 'h1', favourite: true });
    expect(host.favourite).toBe(true);
    expect(onDisk().hosts[0]?.favourite).toBe(true);

    await expect(client.call('hosts.remove', { name: 'h1' })).resolves.toEqual({ removed: true });
    expect(onDisk().hosts).toEqual([]);
    expect((await contractErrorOf(client.call('hosts.remove', { name: 'h1' }))).code).toBe(
      'not-found',
    );
  });
});

describe('sites.setHandoff', () => {
  it('changes only the fields given, announces it and refuses an unknown site', async () => {
    await client.call('sites.addPreset', { presetId: 'ecmwf' });
    events.length = 0;
    const { site } = await client.call('sites.setHandoff', { name: 'ecmwf', enabled: false });
    expect(site.handoff).toEqual({ enabled: false, mode: 'auto' });
    const { site: again } = await client.call('sites.setHandoff', { name: 'ecmwf', mode: 'file' });
    expect(again.handoff).toEqual({ enabled: false, mode: 'file' });
    expect(onDisk().sites[0]?.handoff).toEqual({ enabled: false, mode: 'file' });
    expect(events.filter((e) => e.event === 'settings.changed')).toHaveLength(2);
    const error = await contractErrorOf(client.call('sites.setHandoff', { name: 'nope' }));
    expect(error.code).toBe('not-found');
  });
});

describe('ui.update', () => {
  it('merges: fields left out keep their stored values', async () => {
    await client.call('ui.update', { firstRunDone: true, theme: 'dark' });
    const { ui } = await client.call('ui.update', { terminalFontSize: 15 });
    expect(ui).toMatchObject({ firstRunDone: true, theme: 'dark', terminalFontSize: 15 });
    expect(onDisk().ui).toEqual(ui);
  });

  it('refuses values out of range with the field named, keeping the old value', async () => {
    await client.call('ui.update', { terminalFontSize: 15 });
    const error = await contractErrorOf(client.call('ui.update', { terminalFontSize: 100 }));
    expect(error.code).toBe('invalid-request');
    expect(error.fields).toHaveProperty('terminalFontSize');
    expect(onDisk().ui.terminalFontSize).toBe(15);
  });
});

describe('settings.get and notices', () => {
  it('returns the notice of a recovered file until it is dismissed', async () => {
    await core.close();
    fs.writeFileSync(path.join(dir, 'settings.json'), '{broken');
    core = createCore({ dataDir: dir, host: 'cli', version: '9.8.7', log: () => {} });
    const { notices } = await client.call('settings.get', {});
    expect(notices).toHaveLength(1);
    const id = notices[0]!.id;
    await expect(client.call('notices.dismiss', { id })).resolves.toEqual({ dismissed: true });
    await expect(client.call('notices.dismiss', { id })).resolves.toEqual({ dismissed: false });
    expect((await client.call('settings.get', {})).notices).toEqual([]);
  });
});
