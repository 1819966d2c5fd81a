/**
 * OS notifications for `signin.alert` (the title, the body and whether to offer Renew) and for
 * `tunnels.alert`. No `electron` import, so it is unit tested.
 */
import type { EventPayload } from '../../shared/contract/events';

export type SignInAlert = EventPayload<'signin.alert'>;

export interface NotificationModel {
  title: string;
  body: string;
  /** Offer "Renew": every alert that means the certificate needs the user. */
  renew: boolean;
}

const TITLES: Record<SignInAlert['kind'], (site: string) => string> = {
  'expires-in-60': (site) => `${site}: certificate expires soon`,
  'expires-in-10': (site) => `${site}: certificate expires in minutes`,
  expired: (site) => `${site}: certificate expired`,
  renewed: (site) => `${site}: certificate renewed`,
  'renewal-failed': (site) => `${site}: automatic renewal failed`,
};

export function notificationFor(alert: SignInAlert): NotificationModel {
  return {
    title: TITLES[alert.kind](alert.site),
    body: alert.message,
    renew: alert.kind !== 'renewed',
  };
}

export type TunnelAlert = EventPayload<'tunnels.alert'>;

/** An autostarted tunnel failed or recovered: `ecFlow SOCKS: tunnel failed`. */
export function tunnelNotificationFor(alert: TunnelAlert): NotificationModel {
  return {
    title: `${alert.name}: tunnel ${alert.kind === 'failed' ? 'failed' : 'recovered'}`,
    body: alert.message,
    renew: false,
  };
}
