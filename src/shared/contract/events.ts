/**
 * Events: pushed from the core to every connected UI. Later issues add certificate status,
 * tunnel status, terminal data and prompts here.
 */
import { z } from 'zod';
import { SettingsSchema } from '../model/settings';
import { NoticeSchema } from './commands';
import { SiteStatusSchema } from '../model/certificate';

export const events = {
  /** The settings document changed (from this UI, another window, or the CLI). */
  'settings.changed': z.object({ settings: SettingsSchema }),
  /** Something the user should see: a recovered settings file, a failed write… */
  notice: NoticeSchema,
  /** Certificate status changed: sign-in progress, stored, renewed, expiring, expired, signed out. */
  'signin.status': z.object({ sites: z.array(SiteStatusSchema) }),
  /** A moment the user should be told about outside the window (OS notification). */
  'signin.alert': z.object({
    site: z.string(),
    kind: z.enum(['expires-in-60', 'expires-in-10', 'expired', 'renewed', 'renewal-failed']),
    message: z.string(),
  }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const eventNames = Object.keys(events) as EventName[];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}
