import { describe, expect, it } from 'vitest';
import type { SiteStatus } from '../../shared/model/certificate';
import type { TunnelRuntime, TunnelState } from '../../shared/model/tunnel';
import {
  buildTrayModel,
  formatRemaining,
  sameTunnelItems,
  siteAction,
  siteLine,
  tunnelItems,
  worstState,
} from './trayModel';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

function site(name: string, partial: Partial<SiteStatus> = {}): SiteStatus {
  return {
    site: name,
    kind: 'teleport',
    proxy: `${name}.example.org:443`,
    state: 'valid',
    user: 'alice',
    logins: ['alice'],
    validAfter: at(-3600),
    validBefore: at(3 * 3600 + 12 * 60 + 30),
    remainingSeconds: null,
    keyType: 'ssh-ed25519',
    caFingerprint: 'SHA256:abc',
    permissions: { pty: true, portForwarding: true, x11Forwarding: false, agentForwarding: true },
    obtainedAt: null,
    renewedAutomaticallyAt: null,
    canRenewSilently: false,
    signingIn: null,
    problem: null,
    ...partial,
  };
}
const signedOut = (name: string) =>
  site(name, { state: 'signed-out', validAfter: null, validBefore: null, user: null });

describe('formatRemaining', () => {
  it('uses minute precision', () => {
    expect(formatRemaining(3 * 3600 + 12 * 60 + 59)).toBe('3 h 12 min');
    expect(formatRemaining(2 * 3600)).toBe('2 h');
    expect(formatRemaining(42 * 60 + 17)).toBe('42 min');
    expect(formatRemaining(30)).toBe('less than a minute');
    expect(formatRemaining(-5)).toBe('less than a minute');
  });
});

describe('worstState', () => {
  it('is signed-out without signed-in sites', () => {
    expect(worstState([], NOW, 60)).toBe('signed-out');
    expect(worstState([signedOut('a')], NOW, 60)).toBe('signed-out');
  });
  it('ranks expired over expiring over valid', () => {
    const valid = site('v');
    const expiring = site('e', { validBefore: at(20 * 60) });
    const expired = site('x', { validBefore: at(-60), state: 'valid' });
    expect(worstState([valid, signedOut('s')], NOW, 60)).toBe('valid');
    expect(worstState([valid, expiring], NOW, 60)).toBe('expiring');
    expect(worstState([expiring, expired, valid], NOW, 60)).toBe('expired');
  });
  it('follows the warning threshold', () => {
    const soon = site('e', { validBefore: at(20 * 60) });
    expect(worstState([soon], NOW, 10)).toBe('valid');
  });
});

describe('menu lines and actions', () => {
  it('reads as the issue says', () => {
    expect(siteLine(site('ecmwf'), NOW, 60)).toBe('ecmwf — 3 h 12 min left');
    expect(siteLine(site('ecmwf', { validBefore: at(-1) }), NOW, 60)).toBe('ecmwf — expired');
    expect(siteLine(signedOut('ecmwf'), NOW, 60)).toBe('ecmwf — signed out');
    const busy = signedOut('ecmwf');
    busy.signingIn = { phase: 'waiting-for-browser', url: null, startedAt: at(0) };
    expect(siteLine(busy, NOW, 60)).toBe('ecmwf — signing in…');
    expect(siteAction(busy, NOW, 60)).toBeNull();
  });
  it('offers Renew while usable and Sign in otherwise', () => {
    expect(siteAction(site('ecmwf'), NOW, 60)?.label).toBe('Renew ecmwf');
    expect(siteAction(signedOut('ecmwf'), NOW, 60)?.label).toBe('Sign in to ecmwf');
    expect(siteAction(site('ecmwf', { validBefore: at(-1) }), NOW, 60)?.label).toBe(
      'Sign in to ecmwf',
    );
  });
  it('offers no action for a tsh login, which only tsh renews', () => {
    expect(siteAction(site('tsh:jump', { kind: 'tsh' }), NOW, 60)).toBeNull();
  });
});

describe('buildTrayModel', () => {
  it('shows the shortest remaining time as the title and every line in the tooltip', () => {
    const model = buildTrayModel(
      [site('ecmwf'), site('lumi', { validBefore: at(42 * 60) }), signedOut('other')],
      NOW,
      60,
    );
    expect(model.state).toBe('expiring');
    expect(model.title).toBe('42 min');
    expect(model.lines).toEqual([
      'ecmwf — 3 h 12 min left',
      'lumi — 42 min left',
      'other — signed out',
    ]);
    expect(model.tooltip).toBe(`OneHop\n${model.lines.join('\n')}`);
    expect(model.actions.map((a) => a.label)).toEqual([
      'Renew ecmwf',
      'Renew lumi',
      'Sign in to other',
    ]);
  });
  it('has no title and a plain tooltip when signed out', () => {
    const model = buildTrayModel([signedOut('ecmwf')], NOW, 60);
    expect(model).toMatchObject({ state: 'signed-out', title: '', tooltip: 'OneHop: signed out' });
  });
});

function tunnel(name: string, state: TunnelState, bytesIn = 0): TunnelRuntime {
  return {
    name,
    state,
    reason: null,
    forwards: [
      {
        kind: 'dynamic',
        label: '-D 127.0.0.1:9050',
        bindAddress: '127.0.0.1',
        bindPort: 9050,
        listening: state === 'listening',
        activeConnections: 0,
        totalConnections: 0,
        bytesIn,
        bytesOut: 0,
        lastError: null,
      },
    ],
    events: [],
    launcher: null,
  };
}

describe('tunnels in the tray', () => {
  it('lists each profile with its state, checked while running', () => {
    expect(
      tunnelItems([
        tunnel('ecFlow SOCKS', 'listening'),
        tunnel('ecFlow local', 'stopped'),
        tunnel('Logs', 'waiting-for-sign-in'),
        tunnel('Broken', 'failed'),
        tunnel('Flaky', 'reconnecting'),
      ]),
    ).toEqual([
      { name: 'ecFlow SOCKS', label: 'ecFlow SOCKS — listening', checked: true },
      { name: 'ecFlow local', label: 'ecFlow local — stopped', checked: false },
      { name: 'Logs', label: 'Logs — waiting for sign-in', checked: true },
      { name: 'Broken', label: 'Broken — failed', checked: false },
      { name: 'Flaky', label: 'Flaky — reconnecting…', checked: true },
    ]);
    expect(tunnelItems([])).toEqual([]);
  });
  it('ignores counter-only changes, so the menu is not rebuilt every second', () => {
    const before = tunnelItems([tunnel('a', 'listening', 0)]);
    expect(sameTunnelItems(before, tunnelItems([tunnel('a', 'listening', 5000)]))).toBe(true);
    expect(sameTunnelItems(before, tunnelItems([tunnel('a', 'reconnecting')]))).toBe(false);
    expect(sameTunnelItems(before, [])).toBe(false);
  });
});
