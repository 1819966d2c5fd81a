import { describe, expect, it } from 'vitest';
import {
  forwardText,
  hostAddress,
  importRequest,
  initialSelection,
  networkBindChosen,
  nothingToImport,
  shortSource,
  summaryText,
  toggled,
  type ImportPreview,
} from './importModel';

const file = '/home/a/.ssh/config';
const preview: ImportPreview = {
  file,
  hosts: [
    {
      host: {
        name: 'gw',
        hostName: 'gw.example.org',
        port: 2222,
        login: 'alice',
        route: 'direct',
        favourite: false,
      },
      status: 'new',
      source: `${file}:3`,
    },
    {
      host: {
        name: 'old',
        hostName: 'old.example.org',
        port: 22,
        route: 'direct',
        favourite: false,
      },
      status: 'already-present',
      source: '/home/a/.ssh/conf.d/work.conf:1',
      existing: 'old',
    },
  ],
  tunnels: [
    {
      profile: {
        name: 'gw forwards',
        via: 'alice@gw.example.org:2222',
        autostart: false,
        forwards: [
          {
            kind: 'local',
            bindAddress: '127.0.0.1',
            bindPort: 4141,
            targetHost: 'localhost',
            targetPort: 4141,
          },
          { kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: 9050 },
        ],
      },
      status: 'new',
      source: `${file}:3`,
      networkBind: false,
    },
    {
      profile: {
        name: 'open forwards',
        via: 'open',
        autostart: false,
        forwards: [
          {
            kind: 'local',
            bindAddress: '0.0.0.0',
            bindPort: 8080,
            targetHost: 'web',
            targetPort: 80,
          },
          { kind: 'dynamic', bindAddress: '::', bindPort: 1080 },
        ],
      },
      status: 'new',
      source: `${file}:9`,
      networkBind: true,
    },
  ],
  notices: [],
};

describe('import dialog model', () => {
  it('ticks every new entry except network-bind forwards', () => {
    const selection = initialSelection(preview);
    expect([...selection.hosts]).toEqual(['gw']);
    expect([...selection.tunnels]).toEqual(['gw forwards']);
    expect(networkBindChosen(preview, selection)).toEqual([]);
    const withOpen = { ...selection, tunnels: toggled(selection.tunnels, 'open forwards', true) };
    expect(networkBindChosen(preview, withOpen)).toEqual(['open forwards']);
    expect(importRequest(withOpen, true)).toEqual({
      hosts: ['gw'],
      tunnels: ['gw forwards', 'open forwards'],
      allowNetworkBind: true,
    });
    expect(toggled(withOpen.tunnels, 'gw forwards', false)).toEqual(new Set(['open forwards']));
  });

  it('knows when everything is already present', () => {
    expect(nothingToImport(preview)).toBe(false);
    const again: ImportPreview = {
      ...preview,
      hosts: preview.hosts.map((h) => ({ ...h, status: 'already-present' as const })),
      tunnels: preview.tunnels.map((t) => ({ ...t, status: 'already-present' as const })),
    };
    expect(nothingToImport(again)).toBe(true);
  });

  it('shortens sources below the config folder and keeps others whole', () => {
    expect(shortSource(`${file}:3`, file)).toBe('config:3');
    expect(shortSource('/home/a/.ssh/conf.d/work.conf:1', file)).toBe('conf.d/work.conf:1');
    expect(shortSource('/etc/ssh/extra:2', file)).toBe('/etc/ssh/extra:2');
    expect(shortSource('C:\\Users\\a\\.ssh\\x:1', 'C:\\Users\\a\\.ssh\\config')).toBe('x:1');
  });

  it('writes addresses and forwards as ssh would be told', () => {
    expect(hostAddress(preview.hosts[0]!.host)).toBe('alice@gw.example.org:2222');
    expect(hostAddress(preview.hosts[1]!.host)).toBe('old.example.org');
    const [local, dynamic] = preview.tunnels[0]!.profile.forwards;
    expect(forwardText(local!)).toBe('-L 4141:localhost:4141');
    expect(forwardText(dynamic!)).toBe('-D 9050');
    const [open, v6] = preview.tunnels[1]!.profile.forwards;
    expect(forwardText(open!)).toBe('-L 0.0.0.0:8080:web:80');
    expect(forwardText(v6!)).toBe('-D [::]:1080');
  });

  it('summarises what was added and what was there already', () => {
    expect(
      summaryText({
        hostsAdded: ['a', 'b'],
        tunnelsAdded: ['t'],
        alreadyPresent: [],
        skipped: [],
        notices: [],
      }),
    ).toBe('Imported 2 hosts and 1 tunnel profile.');
    expect(
      summaryText({
        hostsAdded: [],
        tunnelsAdded: [],
        alreadyPresent: ['a', 'b'],
        skipped: [],
        notices: [],
      }),
    ).toBe('Nothing new was imported. 2 entries were already present.');
  });
});
