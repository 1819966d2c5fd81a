/**
 * Events: pushed from the core to every connected UI. Later issues add certificate status,
 * tunnel status, terminal data and prompts here.
 */
import { z } from 'zod';
import { SettingsSchema } from '../model/settings';
import { NoticeSchema } from './commands';
import { SiteStatusSchema } from '../model/certificate';
import { HostKeyPromptSchema, TerminalIdSchema, TerminalInfoSchema } from '../model/terminal';
import { TunnelRuntimeSchema } from '../model/tunnel';

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
  /** Terminal output, batched; the UI acknowledges rendered characters with `terminal.ack`. */
  'terminal.data': z.object({ id: TerminalIdSchema, data: z.string() }),
  /** A terminal's state, title or problem changed (also sent once when it opens). */
  'terminal.state': z.object({ terminal: TerminalInfoSchema }),
  /** A host presented a key nobody vouches for: ask the user (answer with `hostkey.answer`). */
  'hostkey.prompt': HostKeyPromptSchema,
  /** The prompt was answered elsewhere or timed out: close the dialog. */
  'hostkey.resolved': z.object({ id: z.string() }),
  /** Tunnel states and counters (sent on change, counters at most every second). */
  'tunnels.status': z.object({ tunnels: z.array(TunnelRuntimeSchema) }),
  /** An autostarted tunnel failed or recovered (OS notification). */
  'tunnels.alert': z.object({
    name: z.string(),
    kind: z.enum(['failed', 'recovered']),
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
