/**
 * The connection pool: one SSH connection per (site, jump login, jump address) and one per
 * target, shared by every terminal and tunnel to it. A second terminal to a connected host opens
 * a channel on the existing connection (no handshake); a connection nobody uses closes after an
 * idle timeout. Concurrent requests for the same connection share one handshake.
 */
import { parsePublicKeyLine, type SshPublicKey } from '../credentials/sshKeys';
import {
  connectSsh,
  openThroughJump,
  SshError,
  type HostKeyDecision,
  type HostKeyPolicy,
  type SshConnection,
  type SshHop,
  type UnknownHostKeyInfo,
} from '../ssh';
import type { KnownHostsStore } from './knownHostsStore';
import type { ResolvedRoute } from './route';
import { dialTlsRouted } from './tlsRouting';

export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;

/** How an unknown host key is handled for one request. */
export type UnknownKeyMode = 'prompt' | 'accept-new' | 'refuse';

export interface AcquireOptions {
  signal?: AbortSignal;
  unknownKey?: UnknownKeyMode;
}

export interface Lease {
  connection: SshConnection;
  /** True when this lease reused a live connection (no handshake). */
  reused: boolean;
  /**
   * Resolves when the connection is gone, with the reason: for a target behind a jump, the
   * jump's own error (keepalive timeout, …) when the jump went first.
   */
  lost: Promise<SshError | undefined>;
  /** Hand the connection back; it closes after the idle timeout when nobody else holds it. */
  release(): void;
}

export interface PoolOptions {
  knownHosts: KnownHostsStore;
  /** Puts an unknown key to the user (UI hosts); absent: `prompt` behaves as `refuse`. */
  prompt?: (info: UnknownHostKeyInfo, hop: SshHop) => Promise<HostKeyDecision>;
  idleTimeoutMs?: number;
  log?: (message: string) => void;
}

interface Entry {
  key: string;
  site: string | null;
  pending: Promise<SshConnection>;
  connection: SshConnection | undefined;
  refs: number;
  idleTimer: NodeJS.Timeout | undefined;
  /** The jump entry this target rides on (held for as long as the target lives). */
  parent: Entry | undefined;
}

/**
 * A target behind a jump dies with its jump; the jump's error says why (keepalive timeout…),
 * and it may arrive a moment after the target's own close.
 */
function lostThroughJump(
  target: SshConnection,
  jump: SshConnection,
): Promise<SshError | undefined> {
  const jumpGone = jump.closed.then(
    (error) =>
      error ??
      new SshError(
        'connection-lost',
        `The jump host ${jump.host}:${String(jump.port)} closed the connection.`,
        'jump',
      ),
  );
  return Promise.race([
    jumpGone,
    target.closed.then(async (error) => {
      if (error) return error;
      const grace = new Promise<undefined>((resolve) =>
        setTimeout(() => resolve(undefined), 200).unref(),
      );
      return Promise.race([jumpGone, grace]);
    }),
  ]);
}

/** What every hop of a route shares: the certificate, host key policy, keepalive, cancel. */
function sharedHopOptions(route: ResolvedRoute, hostKeys: HostKeyPolicy, options: AcquireOptions) {
  return {
    credentials: route.credentials,
    hostKeys,
    keepaliveIntervalMs: route.keepaliveIntervalMs,
    allowSha1Certificate: route.allowSha1Certificate,
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

function trustedCas(route: ResolvedRoute, log?: (message: string) => void): SshPublicKey[] {
  const keys: SshPublicKey[] = [];
  for (const signer of route.credentials.hostSigners ?? []) {
    for (const line of signer.checkingKeys) {
      try {
        keys.push(parsePublicKeyLine(line));
      } catch (error) {
        log?.(`onehop: a host CA key of ${signer.clusterName} is unreadable: ${String(error)}`);
      }
    }
  }
  return keys;
}

export class ConnectionPool {
  readonly #options: PoolOptions;
  readonly #entries = new Map<string, Entry>();
  /** Every handshake made, for diagnostics and tests (pool reuse). */
  handshakes = 0;

  constructor(options: PoolOptions) {
    this.#options = options;
  }

  /** Connections open or opening, by key (`jump|…`, `target|…`). */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  async acquire(route: ResolvedRoute, options: AcquireOptions = {}): Promise<Lease> {
    const entry = this.#targetEntry(route, options);
    entry.refs++;
    this.#stopIdle(entry);
    const reused = entry.connection !== undefined;
    try {
      const connection = await entry.pending;
      let released = false;
      const jump = entry.parent?.connection;
      const lost = jump ? lostThroughJump(connection, jump) : connection.closed;
      return {
        connection,
        reused,
        lost,
        release: () => {
          if (released) return;
          released = true;
          this.#release(entry);
        },
      };
    } catch (error) {
      this.#release(entry);
      throw error;
    }
  }

  /** Closes every connection of a site (sign-out). */
  async closeSite(site: string): Promise<void> {
    const closing = [...this.#entries.values()]
      .filter((e) => e.site === site)
      .map((e) => this.#close(e));
    await Promise.all(closing);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#entries.values()].map((e) => this.#close(e)));
  }

  #targetEntry(route: ResolvedRoute, options: AcquireOptions): Entry {
    const site = route.site?.name ?? null;
    const viaJump = route.jump
      ? `${route.jump.login}@${route.jump.host}:${String(route.jump.port)}`
      : 'direct';
    const key = `target|${site ?? ''}|${route.login}@${route.host}:${String(route.port)}|${viaJump}`;
    const existing = this.#entries.get(key);
    if (existing) return existing;

    const parent = route.jump ? this.#jumpEntry(route, options) : undefined;
    if (parent) {
      parent.refs++;
      this.#stopIdle(parent);
    }
    return this.#add(key, site, parent, async () => {
      const policy = await this.#policy(route, options, parent ? 'target' : 'direct');
      const target = {
        ...sharedHopOptions(route, policy, options),
        host: route.host,
        port: route.port,
        username: route.login,
      };
      if (!parent) return connectSsh({ ...target, hop: 'direct' });
      return openThroughJump(await parent.pending, target);
    });
  }

  #jumpEntry(route: ResolvedRoute, options: AcquireOptions): Entry {
    const jump = route.jump!;
    const site = route.site?.name ?? null;
    const key = `jump|${site ?? ''}|${jump.login}@${jump.host}:${String(jump.port)}${jump.tlsRouting ? '|tls' : ''}`;
    const existing = this.#entries.get(key);
    if (existing) return existing;
    return this.#add(key, site, undefined, async () => {
      const policy = await this.#policy(route, options, 'jump');
      const sock = jump.tlsRouting
        ? await dialTlsRouted({
            host: jump.host,
            port: jump.port,
            clusterCas: (route.credentials.hostSigners ?? []).flatMap((s) => s.tlsCerts),
            ...(options.signal ? { signal: options.signal } : {}),
          })
        : undefined;
      return connectSsh({
        ...sharedHopOptions(route, policy, options),
        host: jump.host,
        port: jump.port,
        username: jump.login,
        hop: 'jump',
        ...(sock ? { sock } : {}),
      });
    });
  }

  /** Registers a connection being opened: counted, remembered on success, tracked. */
  #add(
    key: string,
    site: string | null,
    parent: Entry | undefined,
    open: () => Promise<SshConnection>,
  ): Entry {
    this.handshakes++;
    const pending = open().then((connection) => this.#remembered(connection));
    const entry: Entry = {
      key,
      site,
      pending,
      connection: undefined,
      refs: 0,
      idleTimer: undefined,
      parent,
    };
    this.#track(entry);
    return entry;
  }

  /** "Trust and remember": the key goes into OneHop's known_hosts once the login succeeded. */
  async #remembered(connection: SshConnection): Promise<SshConnection> {
    const line = connection.hostKey.rememberLine;
    if (line) {
      try {
        await this.#options.knownHosts.remember(line);
      } catch (error) {
        this.#options.log?.(
          `onehop: could not remember the host key of ${connection.host}: ${String(error)}`,
        );
      }
    }
    return connection;
  }

  #track(entry: Entry): void {
    this.#entries.set(entry.key, entry);
    entry.pending.then(
      (connection) => {
        entry.connection = connection;
        void connection.closed.then(() => this.#forget(entry));
        if (entry.refs === 0) this.#startIdle(entry);
      },
      () => this.#forget(entry),
    );
  }

  /** The connection is gone (closed, failed): later requests dial afresh. */
  #forget(entry: Entry): void {
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    this.#stopIdle(entry);
    if (entry.parent) {
      const parent = entry.parent;
      entry.parent = undefined;
      this.#release(parent);
    }
  }

  #release(entry: Entry): void {
    entry.refs = Math.max(0, entry.refs - 1);
    if (entry.refs === 0 && entry.connection) this.#startIdle(entry);
  }

  #startIdle(entry: Entry): void {
    this.#stopIdle(entry);
    if (this.#entries.get(entry.key) !== entry) return;
    entry.idleTimer = setTimeout(() => {
      if (entry.refs === 0) void this.#close(entry);
    }, this.#options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    entry.idleTimer.unref();
  }

  #stopIdle(entry: Entry): void {
    if (entry.idleTimer !== undefined) clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
  }

  async #close(entry: Entry): Promise<void> {
    this.#forget(entry);
    const connection = entry.connection ?? (await entry.pending.catch(() => undefined));
    await connection?.close();
  }

  async #policy(
    route: ResolvedRoute,
    options: AcquireOptions,
    hop: SshHop,
  ): Promise<HostKeyPolicy> {
    const knownHosts = await this.#options.knownHosts.entries();
    const mode = options.unknownKey ?? 'prompt';
    const prompt = this.#options.prompt;
    const base = { trustedCas: trustedCas(route, this.#options.log), knownHosts };
    if (mode === 'accept-new') return { ...base, onUnknownKey: () => Promise.resolve('remember') };
    if (mode === 'prompt' && prompt) return { ...base, onUnknownKey: (info) => prompt(info, hop) };
    // No one to ask: the engine refuses with a message that says how to trust the key.
    return base;
  }
}
