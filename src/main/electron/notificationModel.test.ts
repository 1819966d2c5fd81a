import { describe, expect, it } from 'vitest';
import { notificationFor, tunnelNotificationFor } from './notificationModel';

describe('notificationFor', () => {
  it('offers Renew for alerts that need the user', () => {
    for (const kind of ['expires-in-60', 'expires-in-10', 'expired', 'renewal-failed'] as const) {
      const model = notificationFor({ site: 'ecmwf', kind, message: 'm' });
      expect(model.renew).toBe(true);
      expect(model.title).toMatch(/^ecmwf: /);
      expect(model.body).toBe('m');
    }
  });
  it('only informs after a silent renewal', () => {
    expect(notificationFor({ site: 'ecmwf', kind: 'renewed', message: 'm' })).toEqual({
      title: 'ecmwf: certificate renewed',
      body: 'm',
      renew: false,
    });
  });
});

describe('tunnelNotificationFor', () => {
  it('names the tunnel and what happened', () => {
    expect(
      tunnelNotificationFor({
        name: 'ecFlow SOCKS',
        kind: 'failed',
        message: 'Port 9050 is in use.',
      }),
    ).toEqual({ title: 'ecFlow SOCKS: tunnel failed', body: 'Port 9050 is in use.', renew: false });
    expect(tunnelNotificationFor({ name: 'x', kind: 'recovered', message: 'm' }).title).toBe(
      'x: tunnel recovered',
    );
  });
});
