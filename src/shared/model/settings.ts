/**
 * The settings model: sites, hosts, tunnel profiles and UI preferences.
 *
 * One zod schema is the single source of truth. The core validates every write with it, the
 * settings store derives the on-disk JSON Schema from it (`settingsJsonSchema`), and the
 * renderer and CLI use the inferred types.
 */
import { z } from 'zod';

/** Bump when the on-disk shape changes, and add a migration in core/settings/migrations.ts. */
export const SETTINGS_VERSION = 1;

/** Names users type in the CLI and see in the sidebar: short, no spaces. */
export const NameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'may contain only letters, digits, ".", "_" and "-", and must start with a letter or digit',
  );

/** A display name for things such as tunnel profiles ("ecFlow SOCKS"): spaces allowed. */
export const LabelSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(80, 'must be at most 80 characters');

export const PortSchema = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

/** A DNS name or an IP literal; no scheme, no port, no spaces. */
export const HostNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(253, 'is too long')
  .regex(/^[A-Za-z0-9._:%[\]-]+$/, 'must be a host name or an IP address (no scheme, no spaces)');

/** OpenSSH-style host pattern: `*` and `?` wildcards, e.g. `hpc-*`, `a??-*`. */
export const HostPatternSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9._*?:[\]-]+$/, 'must be an OpenSSH host pattern such as "hpc-*"');

export const LoginSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._][A-Za-z0-9._@-]*$/, 'must be a valid user name');

/** SSH behaviour a site asks for. */
export const SiteSshSchema = z.object({
  /** ServerAliveInterval equivalent; 0 turns keepalive off. */
  keepaliveIntervalSeconds: z.number().int().min(0).max(3600).default(60),
  /** Signature algorithms accepted for RSA user certificates, strongest first. */
  rsaSignatureAlgorithms: z
    .array(z.enum(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']))
    .default(['rsa-sha2-512', 'rsa-sha2-256']),
});

/** Making plain OpenSSH (ssh, scp, rsync) use the site's certificate after each sign-in. */
export const SiteHandoffSchema = z.object({
  enabled: z.boolean().default(true),
  /** `auto`: the running ssh-agent, else key files in ~/.ssh/onehop/<site>/. */
  mode: z.enum(['auto', 'agent', 'file']).default('auto'),
});

const SiteCommonShape = {
  name: NameSchema,
  /** Human title shown in the UI ("ECMWF"). */
  title: LabelSchema.optional(),
  /** Host name patterns reached through this site's jump, in OpenSSH syntax. */
  hostPatterns: z.array(HostPatternSchema).default([]),
  ssh: SiteSshSchema.default({
    keepaliveIntervalSeconds: 60,
    rsaSignatureAlgorithms: ['rsa-sha2-512', 'rsa-sha2-256'],
  }),
  /** The preset this site was created from, if any. */
  presetId: z.string().optional(),
  handoff: SiteHandoffSchema.default({ enabled: true, mode: 'auto' }),
};

export const TeleportSiteSchema = z.object({
  ...SiteCommonShape,
  kind: z.literal('teleport'),
  proxy: z.object({
    host: HostNameSchema,
    webPort: PortSchema.default(443),
    sshPort: PortSchema.default(22),
  }),
  /** Auth connector name (`tsh --auth`); empty = the cluster's default. */
  connector: z.string().max(128).optional(),
});

export const OidcCaSiteSchema = z.object({
  ...SiteCommonShape,
  kind: z.literal('oidc-ca'),
  oidc: z.object({
    issuer: z.url({ protocol: /^https?$/ }),
    clientId: z.string().min(1),
    /** RFC 8252 loopback redirect: host and path are configurable because IdPs differ. */
    redirectHost: z.enum(['127.0.0.1', 'localhost', '[::1]']).default('127.0.0.1'),
    redirectPath: z.string().regex(/^\//, 'must start with "/"').default('/callback'),
    allowOfflineAccess: z.boolean().default(false),
  }),
  /** step-ca compatible SSH CA base URL. */
  caUrl: z.url({ protocol: /^https?$/ }),
  /** The SSH jump host; optional because some sites reach their hosts directly. */
  bastion: z.object({ host: HostNameSchema, port: PortSchema.default(22) }).optional(),
});

export const SiteSchema = z.discriminatedUnion('kind', [TeleportSiteSchema, OidcCaSiteSchema]);

export const HostSchema = z.object({
  name: NameSchema,
  hostName: HostNameSchema,
  port: PortSchema.default(22),
  /** Empty = the login from the site's certificate. */
  login: LoginSchema.optional(),
  /** The site whose certificate and jump are used; empty for a plain host. */
  site: NameSchema.optional(),
  /** `jump`: through the site's proxy; `direct`: dial the host itself. */
  route: z.enum(['jump', 'direct']).default('jump'),
  favourite: z.boolean().default(false),
});

export const BindAddressSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be an IP address or "localhost"');

export const LocalForwardSchema = z.object({
  kind: z.literal('local'),
  bindAddress: BindAddressSchema.default('127.0.0.1'),
  bindPort: PortSchema,
  targetHost: HostNameSchema,
  targetPort: PortSchema,
});

export const DynamicForwardSchema = z.object({
  kind: z.literal('dynamic'),
  bindAddress: BindAddressSchema.default('127.0.0.1'),
  bindPort: PortSchema,
});

export const ForwardSchema = z.discriminatedUnion('kind', [
  LocalForwardSchema,
  DynamicForwardSchema,
]);

export const LauncherSchema = z.object({
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  /** Off until the user confirms the program is installed. */
  enabled: z.boolean().default(false),
});

export const TunnelProfileSchema = z.object({
  name: LabelSchema,
  site: NameSchema.optional(),
  /** `[login@]host[:port]` of the host whose sshd performs the forwards; empty = not set up yet. */
  via: z.string().max(300).default(''),
  forwards: z.array(ForwardSchema).min(1, 'needs at least one forward'),
  autostart: z.boolean().default(false),
  launcher: LauncherSchema.optional(),
});

export const ThemeSchema = z.enum(['system', 'light', 'dark']);

export const UiPreferencesSchema = z.object({
  theme: ThemeSchema.default('system'),
  /** Set once the first-run chooser has been completed or dismissed. */
  firstRunDone: z.boolean().default(false),
  terminalFontSize: z.number().int().min(8).max(32).default(13),
  terminalFontFamily: z.string().max(200).default(''),
  copyOnSelect: z.boolean().default(false),
  /** A certificate with less time left than this is shown as expiring (and notified). */
  expiryWarningMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  window: z
    .object({
      x: z.number().int().optional(),
      y: z.number().int().optional(),
      width: z.number().int().min(400).max(10000),
      height: z.number().int().min(300).max(10000),
      maximized: z.boolean().default(false),
    })
    .optional(),
});

export const SettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  sites: z.array(SiteSchema).default([]),
  hosts: z.array(HostSchema).default([]),
  tunnels: z.array(TunnelProfileSchema).default([]),
  ui: UiPreferencesSchema.default({
    theme: 'system',
    firstRunDone: false,
    terminalFontSize: 13,
    terminalFontFamily: '',
    copyOnSelect: false,
    expiryWarningMinutes: 60,
  }),
});

export type Site = z.infer<typeof SiteSchema>;
export type TeleportSite = z.infer<typeof TeleportSiteSchema>;
export type OidcCaSite = z.infer<typeof OidcCaSiteSchema>;
export type Host = z.infer<typeof HostSchema>;
export type Forward = z.infer<typeof ForwardSchema>;
export type TunnelProfile = z.infer<typeof TunnelProfileSchema>;
export type UiPreferences = z.infer<typeof UiPreferencesSchema>;
export type Theme = z.infer<typeof ThemeSchema>;
export type Settings = z.infer<typeof SettingsSchema>;

/** A site preset: data that becomes a site, its hosts and example tunnels in one action. */
export const PresetSchema = z.object({
  id: NameSchema,
  title: LabelSchema,
  description: z.string().max(400),
  site: SiteSchema,
  hosts: z.array(HostSchema).default([]),
  tunnels: z.array(TunnelProfileSchema).default([]),
});
export type Preset = z.infer<typeof PresetSchema>;

/** The address shown for a site: the Teleport proxy's web address, or the OIDC site's bastion. */
export function siteAddress(site: Site): string {
  return site.kind === 'teleport'
    ? `${site.proxy.host}:${site.proxy.webPort}`
    : site.bastion
      ? `${site.bastion.host}:${site.bastion.port}`
      : new URL(site.caUrl).host;
}
