/**
 * Connects the core's certificate status to the tray and to OS notifications: the tray follows
 * every `signin.status` event and refreshes its minute-precision text once a minute; each
 * `signin.alert` becomes a notification with Renew (a macOS action button; elsewhere clicking the
 * notification opens the window and renews).
 */
import { Notification } from 'electron';
import type { EventPayload } from '../../shared/contract/events';
import type { SiteStatus } from '../../shared/model/certificate';
import type { Core } from '../core';
import { notificationFor } from './notificationModel';
import { setTrayState } from './tray';
import { buildTrayModel } from './trayModel';

const REFRESH_MS = 60_000;

export interface SignInTrayOptions {
  core: Core;
  showWindow: () => void;
  log: (message: string) => void;
}

/** Starts a sign-in (or renewal) through the dispatcher, as the window would; never throws. */
export function signInFromHost(core: Core, site: string, log: (message: string) => void): void {
  void core.dispatcher.dispatch('signin.start', { site }).then((result) => {
    // Failures show in the window as the site's problem; cancels are not failures.
    if (!result.ok && result.error.code !== 'cancelled') {
      log(`onehop: sign-in to ${site} failed: ${result.error.message}`);
    }
  });
}

/** Returns the teardown. */
export function bindSignInTray({ core, showWindow, log }: SignInTrayOptions): () => void {
  let statuses: SiteStatus[] = [];
  const render = () => {
    const warningMinutes = core.settings.get().ui.expiryWarningMinutes;
    setTrayState(buildTrayModel(statuses, Date.now(), warningMinutes));
  };
  const renew = (site: string) => {
    showWindow();
    signInFromHost(core, site, log);
  };
  // Notifications are kept until closed: a collected one loses its click handlers.
  const shown = new Set<Notification>();
  const notify = (alert: EventPayload<'signin.alert'>) => {
    if (!Notification.isSupported()) return;
    const model = notificationFor(alert);
    const mac = process.platform === 'darwin';
    const notification = new Notification({
      title: model.title,
      body: model.body,
      actions: mac && model.renew ? [{ type: 'button', text: 'Renew' }] : [],
    });
    shown.add(notification);
    notification.on('action', () => renew(alert.site));
    notification.on('click', () => (model.renew && !mac ? renew(alert.site) : showWindow()));
    notification.on('close', () => shown.delete(notification));
    notification.show();
  };

  const unsubscribe = core.events.subscribe((event) => {
    if (event.event === 'signin.status') {
      statuses = (event.payload as EventPayload<'signin.status'>).sites;
      render();
    } else if (event.event === 'signin.alert') {
      notify(event.payload as EventPayload<'signin.alert'>);
    } else if (event.event === 'settings.changed') {
      // The warning threshold, or a site added or removed.
      void load();
    }
  });
  const load = async () => {
    const result = await core.dispatcher.dispatch('signin.status', {});
    if (result.ok) {
      statuses = (result.result as EventPayload<'signin.status'>).sites;
      render();
    } else {
      log(`onehop: no certificate status for the tray: ${result.error.message}`);
    }
  };
  void load();
  const timer = setInterval(render, REFRESH_MS);
  return () => {
    clearInterval(timer);
    unsubscribe();
    shown.clear();
  };
}
