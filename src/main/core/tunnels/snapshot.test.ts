import { describe, expect, it } from 'vitest';
import type { TunnelProfile } from '../../../shared/model/settings';
import type { TunnelRuntime } from '../../../shared/model/tunnel';
import { endedSnapshot, finalSnapshot } from './snapshot';

const profile: TunnelProfile = {
  name: 'ecFlow',
  via: 'ws1',
  autostart: false,
  forwards: [
    { kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: 9050 },
    {
      kind: 'local',
      bindAddress: '127.0.0.1',
      bindPort: 4141,
      targetHost: 'machine1',
      targetPort: 4141,
    },
  ],
};

const running: TunnelRuntime = {
  name: 'ecFlow',
  state: 'listening',
  reason: null,
  events: [],
  launcher: null,
  forwards: [
    {
      kind: 'dynamic',
      label: '-D 127.0.0.1:9050',
      bindAddress: '127.0.0.1',
      bindPort: 9050,
      listening: true,
      activeConnections: 2,
      totalConnections: 7,
      bytesOut: 100,
      bytesIn: 5000,
      lastError: null,
    },
    {
      kind: 'local',
      label: '-L 127.0.0.1:4141:machine1:4141',
      bindAddress: '127.0.0.1',
      bindPort: 4141,
      listening: true,
      activeConnections: 0,
      totalConnections: 1,
      bytesOut: 10,
      bytesIn: 20,
      lastError: 'refused',
    },
  ],
};

describe('snapshots of an ended tunnel', () => {
  it('keep the last totals of unchanged forwards, closed and with nobody active', () => {
    const shown = finalSnapshot({ ...endedSnapshot(running), state: 'stopped' }, profile, null);
    expect(shown.forwards[0]).toMatchObject({
      listening: false,
      activeConnections: 0,
      totalConnections: 7,
      bytesIn: 5000,
    });
    expect(shown.forwards[1]).toMatchObject({ totalConnections: 1, lastError: 'refused' });
  });

  it('show an edited forward fresh', () => {
    const edited = {
      ...profile,
      forwards: [{ kind: 'dynamic' as const, bindAddress: '127.0.0.1', bindPort: 9051 }],
    };
    const shown = finalSnapshot(endedSnapshot(running), edited, null);
    expect(shown.forwards).toEqual([
      expect.objectContaining({ bindPort: 9051, totalConnections: 0, bytesIn: 0 }),
    ]);
  });
});
