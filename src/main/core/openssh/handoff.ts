/**
 * The OpenSSH hand-off: after a sign-in or renewal, make plain `ssh`, `scp` and `rsync` work
 * with the site's certificate — credentials in the ssh-agent (or in files), `@cert-authority`
 * lines in OneHop's known_hosts, and a section in the Include-able `~/.ssh/onehop/config`.
 * Nothing else in ~/.ssh changes unless the user asks for the Include line.
 *
 * Files are written credentials first, config last, so ssh never meets a config that names a
 * file not yet there. Operations run one at a time: both files are read-modify-write.
 */
import path from 'node:path';
import { parseCertificateLine } from '../credentials/sshKeys';
import type { SiteCredentials } from '../credentials/vault';
import { AgentError } from '../ssh/agent';
import type { Host, Site } from '../../../shared/model/settings';
import { ensurePrivateDir, readTextIfExists, writeFileAtomic } from './files';
import {
  addToAgent,
  findAgent,
  identityPaths,
  removeFromAgent,
  removeIdentityFiles,
  writeIdentityFiles,
} from './identity';
import {
  installInclude,
  isIncludeInstalled,
  removeInclude,
  type IncludeResult,
} from './includeInstaller';
import { caPatterns, certAuthorityLines, mergeKnownHosts } from './knownHosts';
import {
  CONFIG_HEADER,
  renderSiteSection,
  replaceSiteSection,
  splitSections,
  type IdentityMode,
} from './sshConfig/generate';

export type HandoffMode = IdentityMode | 'auto';

export interface OpenSshHandoffOptions {
  /** The user's home; `~/.ssh/onehop/` lives under it. */
  homeDir: string;
  /** OneHop's data directory: `<dataDir>/known_hosts` holds the keys trusted in OneHop. */
  dataDir: string;
  /** Where SSH_AUTH_SOCK is read at each call; default process.env. */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** How long an agent may take to answer before it counts as not running; default 3 s. */
  agentTimeoutMs?: number;
}

export interface HandoffInput {
  site: Site;
  credentials: SiteCredentials;
  /** The proxy's SSH address (Teleport `ssh_public_addr`; the lead computes it from the ping). */
  proxySshAddress: { host: string; port: number };
  /** Saved hosts; those of this site get their own Host block. */
  hosts: readonly Host[];
  mode: HandoffMode;
}

export interface HandoffResult {
  mode: IdentityMode;
  configPath: string;
  knownHostsPath: string;
  /** Agent mode: the lifetime given to the agent; null when the certificate never expires. */
  lifetimeSeconds: number | null;
  /** Why the agent was not used in `auto` mode, for the UI. */
  notice: string | null;
}

export interface HandoffPaths {
  dir: string;
  config: string;
  knownHosts: string;
  appKnownHosts: string;
}

export class OpenSshHandoff {
  readonly paths: HandoffPaths;
  readonly #options: OpenSshHandoffOptions;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: OpenSshHandoffOptions) {
    this.#options = options;
    const dir = path.join(options.homeDir, '.ssh', 'onehop');
    this.paths = {
      dir,
      config: path.join(dir, 'config'),
      knownHosts: path.join(dir, 'known_hosts'),
      appKnownHosts: path.join(options.dataDir, 'known_hosts'),
    };
  }

  /** Writes credentials, known_hosts and config for one site; returns the mode in use. */
  apply(input: HandoffInput): Promise<HandoffResult> {
    return this.#exclusive(async () => {
      const site = input.site.name;
      const now = this.#now();
      const socket = this.#socket();
      let mode: IdentityMode = input.mode === 'file' ? 'file' : 'agent';
      let notice: string | null = null;
      let lifetimeSeconds: number | null = null;
      const found =
        input.mode === 'file' && !socket ? null : await findAgent(socket, this.#timeout());
      if (mode === 'agent' && !found?.agent) {
        const reason = found && !found.agent ? found.reason : 'No ssh-agent is running.';
        if (input.mode === 'agent') throw new AgentError('no-agent', reason);
        mode = 'file';
        notice = filesInstead(reason);
      }
      await ensurePrivateDir(this.paths.dir);
      const files = identityPaths(this.paths.dir, site);
      if (mode === 'agent' && found?.agent) {
        try {
          const added = await addToAgent(found.agent, site, input.credentials, now);
          lifetimeSeconds = added.lifetimeSeconds ?? null;
          await writeIdentityFiles(files, input.credentials, 'agent', site);
        } catch (error) {
          // An agent that refuses certificates or lifetimes: files still work in `auto`.
          if (input.mode !== 'auto' || !(error instanceof AgentError)) throw error;
          mode = 'file';
          notice = filesInstead(error.message);
        }
      }
      if (mode === 'file') {
        await writeIdentityFiles(files, input.credentials, 'file', site);
        // A key left in the agent from agent mode would outlive the switch.
        if (found?.agent) await removeFromAgent(found.agent, site);
      }

      const hosts = input.hosts.filter((h) => h.site === site);
      const patterns = caPatterns({
        proxyHost: input.proxySshAddress.host,
        clusterNames: (input.credentials.hostSigners ?? []).map((s) => s.clusterName),
        hostPatterns: input.site.hostPatterns,
        hostNames: hosts.flatMap((h) => [h.name, h.hostName]),
      });
      const keys = (input.credentials.hostSigners ?? []).flatMap((s) => s.checkingKeys);
      await this.#writeKnownHosts(site, certAuthorityLines(site, keys, patterns));

      const section = this.renderSection(input, mode);
      const current = await readTextIfExists(this.paths.config);
      await writeFileAtomic(this.paths.config, replaceSiteSection(current, site, section));
      return {
        mode,
        configPath: this.paths.config,
        knownHostsPath: this.paths.knownHosts,
        lifetimeSeconds,
        notice,
      };
    });
  }

  /** Sign-out: the site's section, CA lines, files and agent entries go. */
  remove(siteName: string): Promise<{ agentEntriesRemoved: number }> {
    return this.#exclusive(async () => {
      let agentEntriesRemoved = 0;
      const found = await findAgent(this.#socket(), this.#timeout());
      if (found.agent) agentEntriesRemoved = await removeFromAgent(found.agent, siteName);
      const current = await readTextIfExists(this.paths.config);
      if (current !== null) {
        await writeFileAtomic(this.paths.config, replaceSiteSection(current, siteName, null));
      }
      if ((await readTextIfExists(this.paths.knownHosts)) !== null) {
        await this.#writeKnownHosts(siteName, null);
      }
      await removeIdentityFiles(identityPaths(this.paths.dir, siteName));
      return { agentEntriesRemoved };
    });
  }

  /** The generated config as ssh reads it now (one site's section when named). */
  async preview(siteName?: string): Promise<{ text: string; sites: string[] }> {
    const text = (await readTextIfExists(this.paths.config)) ?? '';
    const sections = splitSections(text);
    if (siteName === undefined) return { text, sites: [...sections.keys()] };
    const section = sections.get(siteName);
    return section
      ? { text: CONFIG_HEADER + '\n' + section, sites: [siteName] }
      : { text: '', sites: [] };
  }

  /** The mode the files on disk are in for a site: a private key file means file mode. */
  async activeMode(siteName: string): Promise<IdentityMode | null> {
    const files = identityPaths(this.paths.dir, siteName);
    if ((await readTextIfExists(files.key)) !== null) return 'file';
    if ((await readTextIfExists(files.certificate)) !== null) return 'agent';
    return null;
  }

  /** One site's config section, without writing anything. */
  renderSection(input: Omit<HandoffInput, 'mode'>, mode: IdentityMode): string {
    const site = input.site.name;
    const files = identityPaths(this.paths.dir, site);
    const certificate = parseCertificateLine(input.credentials.certificate);
    return renderSiteSection({
      site,
      proxy: input.proxySshAddress,
      login: defaultLogin(certificate.principals, input.credentials.username),
      hosts: input.hosts.filter((h) => h.site === site),
      hostPatterns: input.site.hostPatterns,
      ssh: input.site.ssh,
      certificateType: certificate.certType,
      mode,
      // With IdentitiesOnly, ssh offers an agent key only if a file names it: the certificate.
      identityFile: mode === 'file' ? files.key : files.certificate,
      certificateFile: files.certificate,
      knownHostsFile: this.paths.knownHosts,
    });
  }

  installInclude(): Promise<IncludeResult> {
    return this.#exclusive(() =>
      installInclude({
        homeDir: this.#options.homeDir,
        target: this.paths.config,
        now: () => this.#now(),
      }),
    );
  }

  removeInclude(): Promise<IncludeResult> {
    return this.#exclusive(() =>
      removeInclude({ homeDir: this.#options.homeDir, now: () => this.#now() }),
    );
  }

  isIncludeInstalled(): Promise<boolean> {
    return isIncludeInstalled(this.#options.homeDir);
  }

  async #writeKnownHosts(site: string, caLines: string[] | null): Promise<void> {
    const existing = await readTextIfExists(this.paths.knownHosts);
    const trusted = await readTextIfExists(this.paths.appKnownHosts);
    await ensurePrivateDir(this.paths.dir);
    await writeFileAtomic(this.paths.knownHosts, mergeKnownHosts(existing, site, caLines, trusted));
  }

  #socket(): string | undefined {
    const socket = (this.#options.env ?? process.env).SSH_AUTH_SOCK;
    return socket === '' ? undefined : socket;
  }

  #timeout(): number {
    return this.#options.agentTimeoutMs ?? 3_000;
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(operation, operation);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

/** The first login in the certificate (Teleport adds internal `-teleport-…` principals). */
export function defaultLogin(principals: readonly string[], username: string): string {
  return (
    principals.find(
      (p) => !p.startsWith('-teleport') && /^[A-Za-z0-9._][A-Za-z0-9._@-]*$/.test(p),
    ) ?? username
  );
}

/** The agent's own advice ("…or let OneHop write files") is what just happened: say that. */
function filesInstead(reason: string): string {
  const cause = reason.replace(
    /;? ?(start one with .*?)?\s*or let OneHop write the key and certificate to files instead\.$/,
    '.',
  );
  return `${cause.replace(/\.\.$/, '.')} OneHop wrote the key and certificate to files in ~/.ssh/onehop instead; start an ssh-agent and sign in again to use it.`;
}
