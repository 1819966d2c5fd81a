import { describe, expect, it } from 'vitest';
import { notificationFor } from './notificationModel';

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
