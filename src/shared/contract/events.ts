/**
 * Events: pushed from the core to every connected UI. Later issues add certificate status,
 * tunnel status, terminal data and prompts here.
 */
import { z } from 'zod';
import { SettingsSchema } from '../model/settings';
import { NoticeSchema } from './commands';

export const events = {
  /** The settings document changed (from this UI, another window, or the CLI). */
  'settings.changed': z.object({ settings: SettingsSchema }),
  /** Something the user should see: a recovered settings file, a failed write… */
  notice: NoticeSchema,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const eventNames = Object.keys(events) as EventName[];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}
