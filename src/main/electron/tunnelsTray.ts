/**
 * Connects the core's tunnels to the tray and to OS notifications: the tray's Tunnels section
 * follows every `tunnels.status` event (rebuilt only when a label or a checkbox changes), and
 * each `tunnels.alert` (an autostarted tunnel failed or recovered) becomes a notification that
 * opens the window when clicked.
 */
import { Notification } from 'electron';
import type { EventPayload } from '../../shared/contract/events';
import type { Core } from '../core';
import { tunnelNotificationFor } from './notificationModel';
import { setTrayTunnels } from './tray';
import { tunnelItems } from './trayModel';

export interface TunnelsTrayOptions {
  core: Core;
  showWindow: () => void;
  log: (message: string) => void;
}

/** Starts or stops a tunnel through the dispatcher, as the window would; never throws. */
export function toggleTunnelFromHost(
  core: Core,
  name: string,
  run: boolean,
  log: (message: string) => void,
): void {
  const command = run ? 'tunnels.start' : 'tunnels.stop';
  void core.dispatcher.dispatch(command, { name }).then((result) => {
    // A tunnel that cannot start reports it in its state (the menu shows "failed").
    if (!result.ok) log(`onehop: ${command} ${name} failed: ${result.error.message}`);
  });
}

/** Returns the teardown. */
export function bindTunnelsTray({ core, showWindow, log }: TunnelsTrayOptions): () => void {
  // Notifications are kept until closed: a collected one loses its click handler.
  const shown = new Set<Notification>();
  const notify = (alert: EventPayload<'tunnels.alert'>) => {
    if (!Notification.isSupported()) return;
    const model = tunnelNotificationFor(alert);
    const notification = new Notification({ title: model.title, body: model.body });
    shown.add(notification);
    notification.on('click', () => showWindow());
    notification.on('close', () => shown.delete(notification));
    notification.show();
  };
  const load = async () => {
    const result = await core.dispatcher.dispatch('tunnels.status', {});
    if (result.ok) {
      setTrayTunnels(tunnelItems((result.result as EventPayload<'tunnels.status'>).tunnels));
    } else {
      log(`onehop: no tunnel status for the tray: ${result.error.message}`);
    }
  };
  const unsubscribe = core.events.subscribe((event) => {
    if (event.event === 'tunnels.status') {
      setTrayTunnels(tunnelItems((event.payload as EventPayload<'tunnels.status'>).tunnels));
    } else if (event.event === 'tunnels.alert') {
      notify(event.payload as EventPayload<'tunnels.alert'>);
    } else if (event.event === 'settings.changed') {
      // A profile added, renamed or removed.
      void load();
    }
  });
  void load();
  return () => {
    unsubscribe();
    shown.clear();
  };
}
