/**
 * What the SOCKS5 and `-L` servers share: the dial function they are given, per-forward counters,
 * the two-way pipe with half-close, and listen errors in plain language.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * Opens a stream to `host:port` on the remote side (the via host's direct-tcpip). Host names are
 * passed unresolved. Rejects with an Error carrying a `code` (the SshError codes).
 */
export type Dial = (host: string, port: number) => Promise<Duplex>;

export interface ForwardCounters {
  activeConnections: number;
  totalConnections: number;
  /** Bytes from the local client towards the remote side. */
  bytesOut: number;
  /** Bytes from the remote side back to the local client. */
  bytesIn: number;
  lastError: string | null;
}

export interface ForwardServerOptions {
  bindAddress: string;
  bindPort: number;
  dial: Dial;
  /** Counters moved (bytes, connections); called often, the listener throttles. */
  onActivity?: () => void;
  /** One client connection failed; the server keeps running. */
  onConnectionError?: (message: string) => void;
  /** Bound on how long one client waits for `dial` (default 30 s). */
  dialTimeoutMs?: number;
}

export interface ForwardServer {
  readonly bindAddress: string;
  /** The port actually bound (differs from the requested one only for port 0 in tests). */
  readonly port: number;
  listening(): boolean;
  counters(): ForwardCounters;
  /** Stops listening and destroys every open client connection and remote stream. */
  close(): Promise<void>;
}

export const DEFAULT_DIAL_TIMEOUT_MS = 30_000;
/**
 * Buffer bound of the local client sockets, each way (Node's default is 16 KiB). With the default
 * every 32 KiB SSH packet filled the socket's buffer and paused the channel, so packets could not
 * be gathered into one write (see link); the channel itself buffers up to its 2 MiB window.
 */
export const CLIENT_SOCKET_BUFFER = 1024 * 1024;
/** How long a client may keep its side open after the remote side finished (then destroyed). */
const LINGER_MS = 10_000;
const CLOSE_TIMEOUT_MS = 2_000;

export function newCounters(): ForwardCounters {
  return { activeConnections: 0, totalConnections: 0, bytesOut: 0, bytesIn: 0, lastError: null };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Pipes `client` ↔ `remote` both ways. An end (EOF) on one side is passed on as an end, so
 * half-closed protocols work; once either side is gone the other is destroyed (after letting the
 * client's pending output flush), so no socket or channel is left open. `done` runs once.
 */
export function link(
  client: net.Socket,
  remote: Duplex,
  counters: ForwardCounters,
  onActivity: () => void,
  done: () => void,
): void {
  let finished = false;
  let linger: NodeJS.Timeout | undefined;
  const finish = () => {
    if (finished) return;
    finished = true;
    if (linger !== undefined) clearTimeout(linger);
    client.destroy();
    remote.destroy(); // ssh2 (patched) closes the channel without re-ending it
    done();
  };
  client.on('data', (chunk: Buffer) => {
    counters.bytesOut += chunk.length;
    onActivity();
  });
  // remote → client by hand rather than pipe(): what arrives in one turn of the event loop
  // (often several SSH packets) leaves in one writev, so the client is woken once, not per packet.
  let corked = false;
  const uncork = () => {
    corked = false;
    client.uncork();
  };
  remote.on('data', (chunk: Buffer) => {
    counters.bytesIn += chunk.length;
    onActivity();
    if (!corked) {
      corked = true;
      client.cork();
      setImmediate(uncork);
    }
    if (!client.write(chunk)) remote.pause();
  });
  client.on('drain', () => remote.resume());
  remote.on('end', () => {
    if (!finished) client.end();
  });
  client.on('error', finish);
  remote.on('error', finish);
  client.on('close', finish);
  remote.on('close', () => {
    // Let what the remote side sent reach the client, then destroy it (bounded).
    if (finished) return;
    if (client.writableFinished || client.destroyed) {
      finish();
      return;
    }
    client.once('finish', finish);
    client.end();
    linger = setTimeout(finish, LINGER_MS);
    linger.unref();
  });
  client.pipe(remote);
}

/**
 * Tracks open client sockets of a net.Server, so close() can destroy them and resolve in bounded
 * time even if a peer never answers.
 */
export class SocketSet {
  private readonly sockets = new Set<net.Socket>();
  add(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }
  get size(): number {
    return this.sockets.size;
  }
  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}

/**
 * Bookkeeping every listener does for an accepted client: refused while closing, tracked for
 * close(), counted active/total. Returns the (idempotent) release that ends its "active" count —
 * called when its link finishes or the socket closes — or undefined when it was refused.
 */
export function admitClient(
  client: net.Socket,
  listener: {
    closing: () => boolean;
    sockets: SocketSet;
    counters: ForwardCounters;
    onActivity: () => void;
  },
): (() => void) | undefined {
  if (listener.closing()) {
    client.destroy();
    return undefined;
  }
  const { counters, onActivity } = listener;
  listener.sockets.add(client);
  counters.activeConnections++;
  counters.totalConnections++;
  onActivity();
  let counted = true;
  const release = () => {
    if (!counted) return;
    counted = false;
    counters.activeConnections--;
    onActivity();
  };
  client.once('close', release);
  client.on('error', () => client.destroy());
  return release;
}

export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(
    readonly code: 'port-in-use' | 'port-privileged' | 'address-not-available' | 'listen-failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** "Port 9050 on 127.0.0.1 is already in use …" from a listen error. */
export function translateListenError(error: unknown, address: string, port: number): ListenError {
  const code = (error as { code?: unknown }).code;
  const p = String(port);
  if (code === 'EADDRINUSE') {
    return new ListenError(
      'port-in-use',
      `Port ${p} on ${address} is already in use (by another program); choose another port or stop that program.`,
      { cause: error },
    );
  }
  if (code === 'EACCES') {
    return new ListenError(
      'port-privileged',
      port < 1024
        ? `Port ${p} on ${address} is a privileged port (below 1024) that only administrators may open; choose a port of 1024 or above.`
        : `This computer does not allow OneHop to listen on port ${p} on ${address} (permission denied); choose another port.`,
      { cause: error },
    );
  }
  if (code === 'EADDRNOTAVAIL') {
    return new ListenError(
      'address-not-available',
      `${address} is not an address of this computer, so port ${p} cannot be opened on it; use 127.0.0.1 or an address of one of its network interfaces.`,
      { cause: error },
    );
  }
  return new ListenError(
    'listen-failed',
    `Could not listen on port ${p} on ${address}: ${errorMessage(error)}.`,
    { cause: error },
  );
}

/** Binds `server`; rejects with a ListenError. 'localhost' means 127.0.0.1 (never a DNS lookup). */
export function listen(server: net.Server, address: string, port: number): Promise<number> {
  const host = address === 'localhost' ? '127.0.0.1' : address.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(translateListenError(error, address, port));
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      const bound = server.address();
      resolve(bound !== null && typeof bound === 'object' ? bound.port : port);
    });
  });
}

/** Stops listening, destroys open sockets, and resolves within a bounded time. */
export function closeServer(server: net.Server, sockets: SocketSet): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
    timer.unref();
    if (!server.listening) {
      sockets.destroyAll();
      clearTimeout(timer);
      resolve();
      return;
    }
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    sockets.destroyAll();
  });
}

/** `dial` with a bound: a late stream is destroyed; rejects with a timeout error (code ETIMEDOUT). */
export function dialWithin(dial: Dial, host: string, port: number, ms: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(
        Object.assign(
          new Error(
            `Connecting to ${host}:${String(port)} through the tunnel timed out after ${String(Math.round(ms / 1000))} s.`,
          ),
          { code: 'ETIMEDOUT' },
        ),
      );
    }, ms);
    timer.unref();
    dial(host, port).then(
      (stream) => {
        clearTimeout(timer);
        if (settled) stream.destroy();
        else resolve(stream);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!settled) reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
