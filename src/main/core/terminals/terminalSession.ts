/**
 * One terminal: a pty shell on a pooled connection, its state for the UIs, batched output with
 * flow control, and reconnection. Output is decoded as UTF-8 here (never split inside a
 * character) and sent in batches; the UI acknowledges rendered characters, and the SSH channel
 * is paused while too much is unacknowledged — so `cat` of a huge file neither freezes the UI
 * nor grows memory: the remote side simply waits (SSH window).
 */
import { StringDecoder } from 'node:string_decoder';
import type { TerminalInfo, TerminalState, TerminalTarget } from '../../../shared/model/terminal';
import { isCertificateValidAt, parseCertificateLine } from '../credentials/sshKeys';
import type { ConnectionPool, Lease } from '../connections/pool';
import type { ResolvedRoute } from '../connections/route';
import { openSessionChannel, type SessionChannel } from '../connections/session';
import { SshError } from '../ssh';

/** Pause the channel above this many unacknowledged characters; resume below the low mark. */
export const HIGH_WATER_CHARS = 512 * 1024;
export const LOW_WATER_CHARS = 128 * 1024;
const FLUSH_DELAY_MS = 4;
const MAX_BATCH_CHARS = 64 * 1024;
const RECONNECT_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000];

/** Errors only a new sign-in can fix. */
const NEEDS_SIGN_IN = new Set<string>([
  'certificate-expired',
  'certificate-not-yet-valid',
  'not-signed-in',
  'bad-credentials',
]);

export interface TerminalSessionDeps {
  pool: ConnectionPool;
  resolve: (target: TerminalTarget) => Promise<ResolvedRoute>;
  onData: (id: string, data: string) => void;
  onState: (info: TerminalInfo) => void;
  log?: (message: string) => void;
}

export class TerminalSession {
  readonly id: string;
  readonly #target: TerminalTarget;
  readonly #deps: TerminalSessionDeps;
  #cols: number;
  #rows: number;
  #state: TerminalState = 'connecting';
  #problem: string | null = null;
  #remedy: TerminalInfo['remedy'] = 'none';
  #exitCode: number | null = null;
  #title: string;
  #site: string | null = null;
  #lease: Lease | undefined;
  #channel: SessionChannel | undefined;
  #decoder = new StringDecoder('utf8');
  #batch = '';
  #flushTimer: NodeJS.Timeout | undefined;
  #unacked = 0;
  #paused = false;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #closedByUser = false;
  /** The certificate of the last attempt: reconnect by itself only while it is valid. */
  #certificate: string | undefined;
  /** Bumped per connection attempt, so events of an old channel are ignored. */
  #generation = 0;

  constructor(
    id: string,
    target: TerminalTarget,
    size: { cols: number; rows: number },
    deps: TerminalSessionDeps,
  ) {
    this.id = id;
    this.#target = target;
    this.#cols = size.cols;
    this.#rows = size.rows;
    this.#deps = deps;
    this.#title = 'host' in target ? target.host : target.hostName;
  }

  info(): TerminalInfo {
    return {
      id: this.id,
      title: this.#title,
      host: 'host' in this.#target ? this.#target.host : this.#target.hostName,
      site: this.#site,
      state: this.#state,
      problem: this.#problem,
      remedy: this.#remedy,
      exitCode: this.#exitCode,
    };
  }

  get site(): string | null {
    return this.#site;
  }

  get state(): TerminalState {
    return this.#state;
  }

  /** Connects (first time or again); resolves when connected or given up. */
  async connect(): Promise<void> {
    clearTimeout(this.#retryTimer);
    this.#releaseChannel();
    const generation = ++this.#generation;
    if (this.#state !== 'reconnecting') this.#set('connecting', null, 'none');
    let lease: Lease | undefined;
    try {
      const route = await this.#deps.resolve(this.#target);
      this.#site = route.site?.name ?? null;
      this.#title = route.title;
      this.#certificate = route.credentials.certificate;
      lease = await this.#deps.pool.acquire(route);
      const channel = await openSessionChannel(lease.connection, {
        pty: { cols: this.#cols, rows: this.#rows },
      });
      if (generation !== this.#generation || this.#closedByUser) {
        channel.destroy();
        lease.release();
        return;
      }
      this.#attach(channel, lease, generation);
      this.#attempt = 0;
      this.#exitCode = null;
      this.#set('connected', null, 'none');
    } catch (error) {
      lease?.release();
      if (generation !== this.#generation || this.#closedByUser) return;
      this.#lost(error);
    }
  }

  write(data: string): void {
    if (this.#state === 'connected') this.#channel?.write(data);
  }

  resize(cols: number, rows: number): void {
    this.#cols = cols;
    this.#rows = rows;
    if (this.#state === 'connected') this.#channel?.setWindow(rows, cols, 0, 0);
  }

  ack(chars: number): void {
    this.#unacked = Math.max(0, this.#unacked - chars);
    if (this.#paused && this.#unacked <= LOW_WATER_CHARS) {
      this.#paused = false;
      this.#channel?.resume();
    }
  }

  /** After a new sign-in: a session waiting for it comes back by itself. */
  signedIn(): void {
    if (this.#state === 'disconnected' && this.#remedy === 'sign-in') void this.connect();
  }

  close(): void {
    this.#closedByUser = true;
    clearTimeout(this.#retryTimer);
    this.#flush();
    this.#releaseChannel();
    if (this.#state !== 'closed') this.#set('closed', null, 'none');
  }

  #attach(channel: SessionChannel, lease: Lease, generation: number): void {
    this.#channel = channel;
    this.#lease = lease;
    this.#decoder = new StringDecoder('utf8');
    this.#unacked = 0;
    this.#paused = false;
    const current = () => generation === this.#generation;
    const onData = (chunk: Buffer) => {
      if (current()) this.#push(this.#decoder.write(chunk));
    };
    channel.on('data', onData);
    channel.stderr.on('data', onData);
    void channel.exited.then(({ code }) => {
      if (current()) this.#exitCode = code;
    });
    channel.on('close', () => {
      if (!current()) return;
      this.#push(this.#decoder.end());
      this.#flush();
      // A channel closing because the connection died is a loss, not an exit.
      void Promise.race([lease.lost, new Promise((r) => setTimeout(r, 50, 'alive'))]).then(
        (outcome) => {
          if (!current()) return;
          this.#releaseChannel();
          if (outcome === 'alive' || this.#exitCode !== null)
            this.#set('closed', null, 'reconnect');
          else
            this.#lost(
              outcome ?? new SshError('connection-lost', 'The connection was lost.', 'target'),
            );
        },
      );
    });
    void lease.lost.then((error) => {
      if (!current() || this.#state !== 'connected') return;
      this.#flush();
      this.#releaseChannel();
      this.#lost(
        error ??
          new SshError('connection-lost', `The connection to ${this.#title} was lost.`, 'target'),
      );
    });
  }

  #lost(error: unknown): void {
    const sshError =
      error instanceof SshError
        ? error
        : new SshError('ssh-failed', error instanceof Error ? error.message : String(error));
    const wasConnected = this.#state === 'connected' || this.#state === 'reconnecting';
    if (NEEDS_SIGN_IN.has(sshError.code)) {
      this.#set('disconnected', sshError.message, 'sign-in');
      return;
    }
    // Reconnect by itself only a session that was working, and only while the certificate is.
    const retryable =
      wasConnected && sshError.code !== 'host-key-changed' && this.#certificateStillValid();
    const delay = RECONNECT_DELAYS_MS[this.#attempt];
    if (retryable && delay !== undefined) {
      this.#attempt++;
      this.#set('reconnecting', sshError.message, 'reconnect');
      this.#retryTimer = setTimeout(() => void this.connect(), delay);
      this.#retryTimer.unref();
      return;
    }
    this.#attempt = 0;
    const remedy = wasConnected && !this.#certificateStillValid() ? 'sign-in' : 'reconnect';
    this.#set('disconnected', sshError.message, remedy);
  }

  #certificateStillValid(): boolean {
    if (this.#certificate === undefined) return true;
    try {
      return isCertificateValidAt(parseCertificateLine(this.#certificate), new Date());
    } catch {
      return false;
    }
  }

  #push(text: string): void {
    if (text === '') return;
    this.#batch += text;
    if (this.#batch.length >= MAX_BATCH_CHARS) this.#flush();
    else this.#flushTimer ??= setTimeout(() => this.#flush(), FLUSH_DELAY_MS);
  }

  #flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#batch === '') return;
    const data = this.#batch;
    this.#batch = '';
    this.#unacked += data.length;
    this.#deps.onData(this.id, data);
    if (!this.#paused && this.#unacked > HIGH_WATER_CHARS) {
      this.#paused = true;
      this.#channel?.pause();
    }
  }

  /** Detaches the current channel (its late events are ignored) and returns the lease. */
  #releaseChannel(): void {
    this.#generation++;
    const channel = this.#channel;
    const lease = this.#lease;
    this.#channel = undefined;
    this.#lease = undefined;
    if (channel) {
      channel.removeAllListeners('data');
      channel.stderr.removeAllListeners('data');
      channel.destroy();
    }
    lease?.release();
  }

  #set(state: TerminalState, problem: string | null, remedy: TerminalInfo['remedy']): void {
    this.#state = state;
    this.#problem = problem;
    this.#remedy = remedy;
    this.#deps.onState(this.info());
  }
}
