import { describe, expect, it } from 'vitest';
import type { SiteStatus } from '../../../../shared/model/certificate';
import {
  badgeText,
  formatCountdown,
  primaryAction,
  remainingSeconds,
  stateAt,
} from './certificateText';

const NOW = Date.parse('2025-03-01T12:00:00Z');

function status(partial: Partial<SiteStatus>): SiteStatus {
  return {
    site: 'ecmwf',
    kind: 'teleport',
    proxy: 'jump.ecmwf.int:443',
    state: 'valid',
    user: 'alice',
    logins: ['alice'],
    validAfter: '2025-03-01T00:00:00Z',
    validBefore: '2025-03-01T15:12:00Z',
    remainingSeconds: 0,
    keyType: 'ssh-ed25519',
    caFingerprint: 'SHA256:abc',
    permissions: { pty: true, portForwarding: true, x11Forwarding: false, agentForwarding: false },
    obtainedAt: null,
    renewedAutomaticallyAt: null,
    canRenewSilently: false,
    signingIn: null,
    problem: null,
    ...partial,
  };
}

describe('formatCountdown', () => {
  it('shows hours and minutes above an hour', () => {
    expect(formatCountdown(3 * 3600 + 12 * 60 + 59)).toBe('3 h 12 min');
    expect(formatCountdown(3600)).toBe('1 h');
    expect(formatCountdown(26 * 3600 + 60)).toBe('26 h 1 min');
  });
  it('shows minutes and seconds below an hour', () => {
    expect(formatCountdown(42 * 60 + 17)).toBe('42:17');
    expect(formatCountdown(3599)).toBe('59:59');
    expect(formatCountdown(5)).toBe('0:05');
  });
  it('never goes negative', () => {
    expect(formatCountdown(-30)).toBe('0:00');
  });
});

describe('stateAt', () => {
  it('ticks from valid to expiring to expired by the local clock', () => {
    const s = status({ validBefore: '2025-03-01T13:00:00Z' });
    expect(stateAt(s, NOW, 30)).toBe('valid');
    expect(stateAt(s, NOW + 31 * 60_000, 30)).toBe('expiring');
    expect(stateAt(s, NOW + 60 * 60_000, 30)).toBe('expired');
  });
  it('keeps signed-out and not-yet-valid as the core says', () => {
    expect(stateAt(status({ state: 'signed-out', validBefore: null }), NOW, 60)).toBe('signed-out');
    expect(stateAt(status({ state: 'not-yet-valid' }), NOW, 60)).toBe('not-yet-valid');
  });
});

describe('badge and actions', () => {
  it('shows the countdown while usable and the state otherwise', () => {
    const s = status({});
    expect(badgeText('valid', remainingSeconds(s, NOW))).toBe('3 h 12 min');
    expect(badgeText('expired', -5)).toBe('Expired');
    expect(badgeText('signed-out', null)).toBe('Signed out');
  });
  it('offers Renew only when a certificate is usable', () => {
    expect(primaryAction('valid')).toBe('renew');
    expect(primaryAction('expiring')).toBe('renew');
    expect(primaryAction('expired')).toBe('sign-in');
    expect(primaryAction('signed-out')).toBe('sign-in');
  });
});
