/**
 * The hosts the user opened last, newest first, kept in this window's localStorage (a UI habit,
 * not a setting worth syncing to the CLI). Listeners make the Hosts view follow along, also when
 * another browser tab of the app changes the list.
 */
import { useSyncExternalStore } from 'react';

export const RECENT_KEY = 'onehop.recentHosts';
export const RECENT_MAX = 5;

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

/** Pure: the list after opening `name`. */
export function withRecent(list: readonly string[], name: string, max = RECENT_MAX): string[] {
  return [name, ...list.filter((n) => n !== name)].slice(0, max);
}

/** Pure: the list after a rename (`to` given) or a removal (`to` null). */
export function withRenamed(list: readonly string[], from: string, to: string | null): string[] {
  if (to === null) return list.filter((n) => n !== from);
  return list.map((n) => (n === from ? to : n)).filter((n, i, all) => all.indexOf(n) === i);
}

/** Reads the stored list, tolerating anything a user or an old version may have left there. */
export function parseRecent(raw: string | null): string[] {
  if (!raw) return [];
  try {
    const value = JSON.parse(raw) as unknown;
    return Array.isArray(value)
      ? value.filter((n): n is string => typeof n === 'string').slice(0, RECENT_MAX)
      : [];
  } catch {
    return [];
  }
}

const listeners = new Set<() => void>();
let cached: { raw: string | null; list: string[] } | null = null;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: recent hosts simply are not remembered
  }
}

function read(): string[] {
  const raw = storage()?.getItem(RECENT_KEY) ?? null;
  if (cached?.raw !== raw) cached = { raw, list: parseRecent(raw) };
  return cached.list;
}

function write(list: string[]): void {
  try {
    storage()?.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // Quota or privacy mode: keep working without the list.
  }
  for (const listener of listeners) listener();
}

export function rememberRecentHost(name: string): void {
  write(withRecent(read(), name));
}

export function renameRecentHost(from: string, to: string | null): void {
  const list = read();
  if (list.includes(from)) write(withRenamed(list, from, to));
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

export function useRecentHosts(): string[] {
  return useSyncExternalStore(subscribe, read);
}
