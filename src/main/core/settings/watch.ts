/**
 * Announces settings changed by another process (the CLI while the app is open, a second
 * window's host, a hand edit), so every UI shows what is on disk. Our own writes are announced by
 * the command handlers already; the watcher stays quiet for them by remembering the last
 * announced document.
 */
import fs from 'node:fs';
import type { EventBus } from '../events/bus';
import { SETTINGS_FILE, type SettingsStore } from './store';

const SETTLE_MS = 75;

export function watchSettingsFile(store: SettingsStore, bus: EventBus): () => void {
  let lastAnnounced = JSON.stringify(store.get());
  const unsubscribe = bus.subscribe(({ event, payload }) => {
    if (event === 'settings.changed') {
      lastAnnounced = JSON.stringify((payload as { settings: unknown }).settings);
    }
  });
  let timer: NodeJS.Timeout | undefined;
  const check = (): void => {
    let settings;
    try {
      settings = store.get();
    } catch {
      return; // Broken or half-replaced: the next command reports it in plain words.
    }
    const text = JSON.stringify(settings);
    if (text !== lastAnnounced) bus.emit('settings.changed', { settings });
  };
  // The directory, not the file: atomic writes replace the file, which ends a watch on it.
  // persistent: false, so a watcher never keeps a process alive.
  const watcher = fs.watch(store.dir, { persistent: false }, (_type, filename) => {
    if (filename && filename !== SETTINGS_FILE) return;
    clearTimeout(timer);
    timer = setTimeout(check, SETTLE_MS);
  });
  watcher.on('error', () => undefined);
  return () => {
    clearTimeout(timer);
    watcher.close();
    unsubscribe();
  };
}
