/**
 * Commands: request → response calls from any UI (renderer, CLI) into the core.
 * Every command has a runtime schema for its request and its response; the core validates the
 * request before a handler runs and the response before it leaves.
 */
import { z } from 'zod';
import {
  HostSchema,
  HostNameSchema,
  NameSchema,
  PortSchema,
  SettingsSchema,
  SiteSchema,
  UiPreferencesSchema,
  OidcCaSiteSchema,
} from '../model/settings';
import { SiteStatusSchema, VaultModeSchema } from '../model/certificate';
import {
  HostKeyAnswerSchema,
  TerminalIdSchema,
  TerminalInfoSchema,
  TerminalTargetSchema,
} from '../model/terminal';
import { TunnelRuntimeSchema } from '../model/tunnel';
import { TunnelProfileSchema, LabelSchema } from '../model/settings';
import { opensshCommands } from './openssh';
import { sandboxCommands } from './sandbox';

export const NoticeSchema = z.object({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  title: z.string(),
  message: z.string(),
});
export type Notice = z.infer<typeof NoticeSchema>;

export const PresetSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  proxy: z.string(),
  hosts: z.array(z.string()),
  tunnels: z.array(z.string()),
});
export type PresetSummary = z.infer<typeof PresetSummarySchema>;

const Empty = z.object({}).strict();

type PatchShape<S extends z.ZodRawShape> = {
  [K in keyof S]: z.ZodOptional<S[K] extends z.ZodDefault<infer Inner> ? Inner : S[K]>;
};

/**
 * A patch of `schema`: every field optional and without its default. zod's `.partial()` keeps
 * the defaults, so an omitted field would come back as its default and overwrite the stored value.
 */
function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      ((field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType).optional(),
    ]),
  );
  return z.object(shape as unknown as PatchShape<S>).strict();
}

export const commands = {
  /** Which host and data directory the UI is talking to. */
  'app.info': {
    request: Empty,
    response: z.object({
      name: z.string(),
      version: z.string(),
      host: z.enum(['electron', 'web', 'cli']),
      platform: z.string(),
      dataDir: z.string(),
      /** ssh2's native crypto binding loaded (5–6× faster ciphers); false = pure JS fallback. */
      sshNativeCrypto: z.boolean(),
    }),
  },
  /** The whole settings document and anything the user must be told about it. */
  'settings.get': {
    request: Empty,
    response: z.object({ settings: SettingsSchema, notices: z.array(NoticeSchema) }),
  },
  /** Dismiss a notice returned by `settings.get`. */
  'notices.dismiss': {
    request: z.object({ id: z.string() }).strict(),
    response: z.object({ dismissed: z.boolean() }),
  },
  'presets.list': {
    request: Empty,
    response: z.object({ presets: z.array(PresetSummarySchema) }),
  },
  /** Add a site preset (site, hosts, example tunnels) in one action. */
  'sites.addPreset': {
    request: z.object({ presetId: z.string().min(1) }).strict(),
    response: z.object({
      site: SiteSchema,
      hostsAdded: z.number().int(),
      tunnelsAdded: z.number().int(),
    }),
  },
  /** Add a Teleport proxy by its address (`host[:webPort]`). */
  'sites.addTeleport': {
    request: z
      .object({
        address: z.string().min(1).max(300),
        name: NameSchema.optional(),
        sshPort: PortSchema.optional(),
      })
      .strict(),
    response: z.object({ site: SiteSchema }),
  },
  /** Add an OIDC + SSH CA site. */
  'sites.addOidcCa': {
    request: OidcCaSiteSchema.omit({ kind: true }).strict(),
    response: z.object({ site: SiteSchema }),
  },
  'sites.remove': {
    request: z.object({ name: NameSchema }).strict(),
    response: z.object({ hostsRemoved: z.number().int(), tunnelsRemoved: z.number().int() }),
  },
  /** Turn a site's OpenSSH hand-off on or off, or change its mode; omitted fields stay. */
  'sites.setHandoff': {
    request: z
      .object({
        name: NameSchema,
        enabled: z.boolean().optional(),
        mode: z.enum(['auto', 'agent', 'file']).optional(),
      })
      .strict(),
    response: z.object({ site: SiteSchema }),
  },
  'hosts.add': {
    request: z
      .object({
        name: NameSchema,
        hostName: HostNameSchema,
        port: PortSchema.optional(),
        login: HostSchema.shape.login,
        site: NameSchema.optional(),
        route: z.enum(['jump', 'direct']).optional(),
      })
      .strict(),
    response: z.object({ host: HostSchema }),
  },
  /** Replace a saved host (rename allowed: `name` is the current name). */
  'hosts.update': {
    request: z.object({ name: NameSchema, host: HostSchema }).strict(),
    response: z.object({ host: HostSchema }),
  },
  'hosts.remove': {
    request: z.object({ name: NameSchema }).strict(),
    response: z.object({ removed: z.literal(true) }),
  },
  'hosts.setFavourite': {
    request: z.object({ name: NameSchema, favourite: z.boolean() }).strict(),
    response: z.object({ host: HostSchema }),
  },
  /** Change UI preferences; omitted fields stay as they are. */
  'ui.update': {
    request: patchOf(UiPreferencesSchema),
    response: z.object({ ui: UiPreferencesSchema }),
  },
  /** Certificate status of every site, and where credentials are kept. */
  'signin.status': {
    request: Empty,
    response: z.object({
      sites: z.array(SiteStatusSchema),
      vault: z.object({ mode: VaultModeSchema, warning: z.string().nullable() }),
    }),
  },
  /**
   * Sign in to a site through the browser. Resolves when the certificate is stored (or the
   * sign-in failed); progress arrives as `signin.status` events meanwhile.
   */
  'signin.start': {
    request: z
      .object({
        site: NameSchema,
        /** Requested certificate lifetime in milliseconds; the issuer's default when omitted. */
        ttlMs: z.number().int().positive().optional(),
        connector: z.string().min(1).max(128).optional(),
      })
      .strict(),
    response: z.object({ status: SiteStatusSchema, warnings: z.array(z.string()) }),
  },
  'signin.cancel': {
    request: z.object({ site: NameSchema }).strict(),
    response: z.object({ cancelled: z.boolean() }),
  },
  /** Forget the site's key and certificates. */
  'signin.signOut': {
    request: z.object({ site: NameSchema }).strict(),
    response: z.object({ status: SiteStatusSchema }),
  },
  /**
   * Open a terminal (pty shell) to a saved host or an ad-hoc destination. Resolves at once with
   * the session; connection progress, output and host key prompts arrive as events.
   */
  'terminal.open': {
    request: z
      .object({
        target: TerminalTargetSchema,
        cols: z.number().int().min(1).max(1000),
        rows: z.number().int().min(1).max(1000),
      })
      .strict(),
    response: z.object({ terminal: TerminalInfoSchema }),
  },
  'terminal.list': {
    request: Empty,
    response: z.object({ terminals: z.array(TerminalInfoSchema) }),
  },
  /** Keystrokes and pastes (UTF-8 text). */
  'terminal.write': {
    request: z.object({ id: TerminalIdSchema, data: z.string().max(1024 * 1024) }).strict(),
    response: z.object({}),
  },
  'terminal.resize': {
    request: z
      .object({
        id: TerminalIdSchema,
        cols: z.number().int().min(1).max(1000),
        rows: z.number().int().min(1).max(1000),
      })
      .strict(),
    response: z.object({}),
  },
  /** Flow control: the UI has rendered this many more characters of `terminal.data`. */
  'terminal.ack': {
    request: z.object({ id: TerminalIdSchema, chars: z.number().int().nonnegative() }).strict(),
    response: z.object({}),
  },
  'terminal.reconnect': {
    request: z.object({ id: TerminalIdSchema }).strict(),
    response: z.object({ terminal: TerminalInfoSchema }),
  },
  'terminal.close': {
    request: z.object({ id: TerminalIdSchema }).strict(),
    response: z.object({}),
  },
  /** The user's answer to a `hostkey.prompt` event. */
  'hostkey.answer': {
    request: z.object({ id: z.string().min(1), answer: HostKeyAnswerSchema }).strict(),
    response: z.object({ accepted: z.boolean() }),
  },
  'tunnels.status': {
    request: Empty,
    response: z.object({ tunnels: z.array(TunnelRuntimeSchema) }),
  },
  /**
   * Add or replace a tunnel profile (`previousName` renames). A bind address other than
   * loopback is refused unless `allowNetworkBind` confirms the user accepted the warning.
   */
  'tunnels.save': {
    request: z
      .object({
        profile: TunnelProfileSchema,
        previousName: LabelSchema.optional(),
        allowNetworkBind: z.boolean().optional(),
      })
      .strict(),
    response: z.object({ profile: TunnelProfileSchema }),
  },
  'tunnels.remove': {
    request: z.object({ name: LabelSchema }).strict(),
    response: z.object({ removed: z.literal(true) }),
  },
  'tunnels.start': {
    request: z.object({ name: LabelSchema }).strict(),
    response: z.object({ tunnel: TunnelRuntimeSchema }),
  },
  'tunnels.stop': {
    request: z.object({ name: LabelSchema }).strict(),
    response: z.object({ tunnel: TunnelRuntimeSchema }),
  },
  /** Start the profile's launcher (waits until the tunnel listens). */
  'tunnels.launch': {
    request: z.object({ name: LabelSchema }).strict(),
    response: z.object({ tunnel: TunnelRuntimeSchema }),
  },
  ...opensshCommands,
  ...sandboxCommands,
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
/** What a caller sends (defaults may be omitted). */
export type CommandRequest<C extends CommandName> = z.input<Commands[C]['request']>;
/** What a caller receives. */
export type CommandResponse<C extends CommandName> = z.output<Commands[C]['response']>;
/** What a core handler receives (validated, defaults applied). */
export type HandlerRequest<C extends CommandName> = z.output<Commands[C]['request']>;
/** What a core handler may return (validated before it leaves). */
export type HandlerResponse<C extends CommandName> = z.input<Commands[C]['response']>;

export const commandNames = Object.keys(commands) as CommandName[];

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.hasOwn(commands, value);
}
