/**
 * Tunnel runtime state as the UIs see it (the profiles themselves live in settings).
 */
import { z } from 'zod';

export const TunnelStateSchema = z.enum([
  'stopped',
  'starting',
  'listening',
  'reconnecting',
  'waiting-for-sign-in',
  'failed',
]);
export type TunnelState = z.infer<typeof TunnelStateSchema>;

export const ForwardRuntimeSchema = z.object({
  kind: z.enum(['local', 'dynamic']),
  /** `-L 127.0.0.1:4141:machine1:4141` / `-D 127.0.0.1:9050`. */
  label: z.string(),
  bindAddress: z.string(),
  bindPort: z.number().int(),
  listening: z.boolean(),
  activeConnections: z.number().int().nonnegative(),
  totalConnections: z.number().int().nonnegative(),
  /** Bytes from the local client towards the remote side. */
  bytesOut: z.number().nonnegative(),
  /** Bytes from the remote side back to the local client. */
  bytesIn: z.number().nonnegative(),
  lastError: z.string().nullable(),
});
export type ForwardRuntime = z.infer<typeof ForwardRuntimeSchema>;

export const TunnelEventSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
});
export type TunnelEvent = z.infer<typeof TunnelEventSchema>;

export const LauncherRuntimeSchema = z.object({
  state: z.enum(['idle', 'waiting', 'running', 'exited', 'failed']),
  pid: z.number().int().nullable(),
  exitCode: z.number().int().nullable(),
  message: z.string().nullable(),
});
export type LauncherRuntime = z.infer<typeof LauncherRuntimeSchema>;

export const TunnelRuntimeSchema = z.object({
  name: z.string(),
  state: TunnelStateSchema,
  /** Why it failed / waits, in plain language. */
  reason: z.string().nullable(),
  forwards: z.array(ForwardRuntimeSchema),
  /** Most recent last, bounded. */
  events: z.array(TunnelEventSchema),
  launcher: LauncherRuntimeSchema.nullable(),
});
export type TunnelRuntime = z.infer<typeof TunnelRuntimeSchema>;
