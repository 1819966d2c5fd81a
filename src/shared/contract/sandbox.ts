/**
 * Commands of the sandbox (`npm run sandbox`): find a running sandbox and add its site.
 * Kept in their own file and spread into `commands`.
 *
 * The sandbox script writes a descriptor (`sandbox.json` in the data directory) while it runs; the
 * core reads it to answer `sandbox.info` and to add the sandbox as a site in one action.
 */
import { z } from 'zod';
import { PortSchema, PresetSchema, SiteSchema } from '../model/settings';

/** The descriptor file's name inside the OneHop data directory. */
export const SANDBOX_DESCRIPTOR_FILE = 'sandbox.json';

/** The site name the sandbox preset uses (an earlier one is replaced when added again). */
export const SANDBOX_SITE_NAME = 'sandbox';

export const SandboxDescriptorSchema = z.object({
  version: z.literal(1),
  /** The sandbox process; a dead PID means the descriptor was left behind. */
  pid: z.number().int().positive(),
  startedAt: z.iso.datetime({ offset: true }),
  /** The identity provider the proxy sends the browser to; it signs `user` in without a form. */
  idp: z.object({ issuer: z.string(), user: z.string() }),
  proxy: z.object({
    webUrl: z.string(),
    webPort: PortSchema,
    sshPort: PortSchema,
    /** authorized_keys lines of the emulator's CAs. */
    hostCaPublicKey: z.string(),
    userCaPublicKey: z.string(),
  }),
  /** SSH logins the proxy puts in certificates (accounts that exist on this machine). */
  logins: z.array(z.string()),
  targets: z.array(z.object({ name: z.string(), port: PortSchema })),
  /** A small HTTP server the tunnels can reach. */
  logserver: z.object({ port: PortSchema }),
  /** What `sites.addSandbox` adds: the site, its hosts and tunnel profiles. */
  preset: PresetSchema,
});
export type SandboxDescriptor = z.infer<typeof SandboxDescriptorSchema>;

export const sandboxCommands = {
  /** Whether a sandbox runs on this machine (for this data directory), and what it offers. */
  'sandbox.info': {
    request: z.object({}).strict(),
    response: z.object({
      running: z.boolean(),
      descriptor: SandboxDescriptorSchema.nullable(),
      /** Why a descriptor that exists cannot be used (left behind, unreadable), in plain words. */
      problem: z.string().nullable(),
    }),
  },
  /**
   * Add the running sandbox as a site with its hosts and tunnel profiles, replacing an earlier
   * sandbox site (its ports and CAs change with every start).
   */
  'sites.addSandbox': {
    request: z.object({}).strict(),
    response: z.object({
      site: SiteSchema,
      /** Names of the hosts and tunnel profiles added (a name taken by another site gets a suffix). */
      hosts: z.array(z.string()),
      tunnels: z.array(z.string()),
      /** True when an earlier sandbox site was replaced. */
      replaced: z.boolean(),
      /** True when a certificate from an earlier sandbox (another CA) was forgotten. */
      signedOut: z.boolean(),
    }),
  },
} as const;
