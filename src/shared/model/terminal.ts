/**
 * Terminal sessions as the UIs see them. The core owns the SSH channel; a UI renders the output,
 * acknowledges what it has rendered (flow control) and sends keystrokes and sizes back.
 */
import { z } from 'zod';
import { HostNameSchema, LoginSchema, NameSchema, PortSchema } from './settings';

export const TerminalIdSchema = z.string().regex(/^t[0-9]+$/, 'must be a terminal id');

export const TerminalStateSchema = z.enum([
  /** Dialling the jump and the target (or waiting for a host key answer). */
  'connecting',
  'connected',
  /** The connection dropped and is being re-established. */
  'reconnecting',
  /** The connection dropped and cannot come back by itself (see `problem`). */
  'disconnected',
  /** The remote shell ended (see `exitCode`), or the user closed the session. */
  'closed',
]);
export type TerminalState = z.infer<typeof TerminalStateSchema>;

/** What the UI offers when a session is disconnected. */
export const TerminalRemedySchema = z.enum(['reconnect', 'sign-in', 'none']);

export const TerminalTargetSchema = z.union([
  /** A saved host by name. */
  z.object({ host: NameSchema }).strict(),
  /** An ad-hoc destination (CLI `onehop ssh login@host`). */
  z
    .object({
      hostName: HostNameSchema,
      port: PortSchema.optional(),
      login: LoginSchema.optional(),
      site: NameSchema.optional(),
      route: z.enum(['jump', 'direct']).optional(),
    })
    .strict(),
]);
export type TerminalTarget = z.infer<typeof TerminalTargetSchema>;

export const TerminalInfoSchema = z.object({
  id: TerminalIdSchema,
  /** `login@host` as shown in the tab. */
  title: z.string(),
  host: z.string(),
  site: z.string().nullable(),
  state: TerminalStateSchema,
  /** Plain-language reason for `disconnected` (or a failed first connect). */
  problem: z.string().nullable(),
  remedy: TerminalRemedySchema,
  exitCode: z.number().int().nullable(),
});
export type TerminalInfo = z.infer<typeof TerminalInfoSchema>;

export const HostKeyPromptSchema = z.object({
  id: z.string().min(1),
  host: z.string(),
  port: PortSchema,
  /** `jump` when the site's proxy itself is unknown. */
  hop: z.enum(['direct', 'jump', 'target']),
  keyType: z.string(),
  /** `SHA256:…` as `ssh-keygen -l` prints it. */
  fingerprint: z.string(),
  /** The host showed a certificate from a CA this site does not trust. */
  untrustedCaFingerprint: z.string().nullable(),
});
export type HostKeyPrompt = z.infer<typeof HostKeyPromptSchema>;

export const HostKeyAnswerSchema = z.enum(['once', 'remember', 'reject']);
