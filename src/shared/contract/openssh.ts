/**
 * Commands of the OpenSSH hand-off (generated ~/.ssh/onehop/config, ssh-agent, ~/.ssh/config
 * import). Kept in their own file and spread into `commands`.
 */
import { z } from 'zod';
import { HostSchema, LabelSchema, NameSchema, TunnelProfileSchema } from '../model/settings';

export const HandoffModeSchema = z.enum(['agent', 'file']);
export type HandoffMode = z.infer<typeof HandoffModeSchema>;

const ImportStatusSchema = z.enum(['new', 'already-present', 'name-taken']);

const IncludeResultSchema = z.object({
  /** The user's ~/.ssh/config. */
  path: z.string(),
  changed: z.boolean(),
  /** The copy written before the change; null when nothing changed. */
  backupPath: z.string().nullable(),
});

/** A file path the user chose (the default is ~/.ssh/config). */
const ConfigFileSchema = z.string().min(1).max(4096);

export const opensshCommands = {
  /**
   * The OpenSSH configuration for signed-in sites (one site when named), as `onehop ssh-config`
   * prints it, and the credential mode each site is in.
   */
  'openssh.config': {
    request: z.object({ site: NameSchema.optional() }).strict(),
    response: z.object({
      text: z.string(),
      path: z.string(),
      sites: z.array(z.object({ site: z.string(), mode: HandoffModeSchema })),
      includeInstalled: z.boolean(),
    }),
  },
  /** Write a site's hand-off now (agent when one runs, else files, unless `mode` says). */
  'openssh.apply': {
    request: z
      .object({ site: NameSchema, mode: z.enum(['agent', 'file', 'auto']).optional() })
      .strict(),
    response: z.object({
      mode: HandoffModeSchema,
      configPath: z.string(),
      knownHostsPath: z.string(),
      /** Agent mode: seconds the agent keeps the key; null when the certificate never expires. */
      lifetimeSeconds: z.number().int().nullable(),
      /** Why the agent was not used, in plain words. */
      notice: z.string().nullable(),
    }),
  },
  /** Take a site's hand-off away (config section, CA lines, files, agent entry). */
  'openssh.remove': {
    request: z.object({ site: NameSchema }).strict(),
    response: z.object({ agentEntriesRemoved: z.number().int() }),
  },
  /** Add `Include ~/.ssh/onehop/config` at the top of ~/.ssh/config (backup first). */
  'openssh.installInclude': {
    request: z.object({}).strict(),
    response: IncludeResultSchema,
  },
  /** Remove OneHop's marked block from ~/.ssh/config (the rest stays byte-identical). */
  'openssh.removeInclude': {
    request: z.object({}).strict(),
    response: IncludeResultSchema,
  },
  /** What importing ~/.ssh/config (or `path`) would add; nothing is saved. */
  'openssh.importPreview': {
    request: z.object({ path: ConfigFileSchema.optional() }).strict(),
    response: z.object({
      file: z.string(),
      hosts: z.array(
        z.object({
          host: HostSchema,
          status: ImportStatusSchema,
          source: z.string(),
          existing: z.string().optional(),
        }),
      ),
      tunnels: z.array(
        z.object({
          profile: TunnelProfileSchema,
          status: ImportStatusSchema,
          source: z.string(),
          existing: z.string().optional(),
          networkBind: z.boolean(),
        }),
      ),
      notices: z.array(z.string()),
    }),
  },
  /** Import hosts and tunnel profiles; entries already present are reported, never duplicated. */
  'openssh.import': {
    request: z
      .object({
        path: ConfigFileSchema.optional(),
        /** Host names to import (default: every new one). */
        hosts: z.array(NameSchema).optional(),
        /** Tunnel profile names to import (default: every new one). */
        tunnels: z.array(LabelSchema).optional(),
        /** Import profiles whose forwards listen on non-loopback addresses. */
        allowNetworkBind: z.boolean().optional(),
      })
      .strict(),
    response: z.object({
      hostsAdded: z.array(z.string()),
      tunnelsAdded: z.array(z.string()),
      alreadyPresent: z.array(z.string()),
      skipped: z.array(z.string()),
      notices: z.array(z.string()),
    }),
  },
} as const;
