/**
 * The only module that loads `ssh2` (patched, see patches/README.md). ssh2 ships no types, so
 * this declares the small surface the engine uses; everything else imports from here.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Duplex, Readable } from 'node:stream';

/** An exec/shell/direct-tcpip channel. */
export interface Ssh2Channel extends Duplex {
  stderr: Readable;
  // Events beyond Duplex: 'exit' (code: number | null, signal?: string).
}

/** ssh2 errors carry `level` (client-socket, client-authentication, ...) and sometimes more. */
export interface Ssh2Error extends Error {
  level?: string;
  code?: string;
  /** Channel open failure reason (1 = administratively prohibited, 2 = connect failed). */
  reason?: number | string;
}

export interface Ssh2ConnectConfig {
  host?: string;
  port?: number;
  /** An already connected stream (a direct-tcpip channel of a jump host). */
  sock?: Duplex;
  username: string;
  /** OpenSSH or PKCS#1/SEC1 PEM: ssh2 cannot read PKCS#8. */
  privateKey: string | Buffer;
  /** Patch: the `*-cert-v01@openssh.com` line certifying `privateKey`. */
  certificate?: string | Buffer;
  /** Patch: also try SHA-1 `ssh-rsa-cert-v01` for an RSA certificate (legacy sites only). */
  allowSha1Certificate?: boolean;
  /** 0 disables ssh2's own timer (the engine runs its own). */
  readyTimeout?: number;
  keepaliveInterval?: number;
  keepaliveCountMax?: number;
  algorithms?: { serverHostKey?: string[] | { prepend: readonly string[] } };
  /** Called with the raw host key blob (a certificate blob for cert algorithms). */
  hostVerifier?: (key: Buffer, verify: (permitted: boolean) => void) => void;
  /** Only TCP sockets; sock streams ignore it. */
  forceIPv4?: boolean;
}

/** A pseudo-terminal request (`pty-req`). */
export interface Ssh2PtyOptions {
  term: string;
  cols: number;
  rows: number;
  width?: number;
  height?: number;
  modes?: Record<string, number>;
}

/** A pty channel: a channel that can also be resized and signalled. */
export interface Ssh2PtyChannel extends Ssh2Channel {
  setWindow(rows: number, cols: number, height: number, width: number): void;
  signal?(name: string): void;
}

export interface Ssh2Client extends EventEmitter {
  connect(config: Ssh2ConnectConfig): this;
  /** TCP_NODELAY on the TCP transport (no-op over a jump channel). */
  setNoDelay(noDelay?: boolean): this;
  end(): this;
  destroy(): this;
  exec(
    command: string,
    callback: (error: Ssh2Error | undefined, channel: Ssh2Channel) => void,
  ): boolean;
  exec(
    command: string,
    options: { pty?: Ssh2PtyOptions; env?: Record<string, string> },
    callback: (error: Ssh2Error | undefined, channel: Ssh2PtyChannel) => void,
  ): boolean;
  shell(
    /** false: no pty. */
    window: Ssh2PtyOptions | false,
    options: { env?: Record<string, string> },
    callback: (error: Ssh2Error | undefined, channel: Ssh2PtyChannel) => void,
  ): boolean;
  forwardOut(
    srcIP: string,
    srcPort: number,
    dstIP: string,
    dstPort: number,
    callback: (error: Ssh2Error | undefined, channel: Ssh2Channel) => void,
  ): boolean;
}

interface Ssh2Module {
  Client: new () => Ssh2Client;
}

const require = createRequire(import.meta.url);
// Loaded lazily: importing the engine must not cost the native binding's load time.
let loaded: Ssh2Module | undefined;
function ssh2(): Ssh2Module {
  loaded ??= require('ssh2') as Ssh2Module;
  return loaded;
}

export function createSsh2Client(): Ssh2Client {
  return new (ssh2().Client)();
}

/** The six host certificate algorithms the patch accepts (empty when the patch is missing). */
export function certHostKeyAlgorithms(): readonly string[] {
  const constants = require('ssh2/lib/protocol/constants.js') as {
    CERT_SERVER_HOST_KEY?: readonly string[];
  };
  return constants.CERT_SERVER_HOST_KEY ?? [];
}

/** Whether ssh2's native crypto binding loaded (5–6× faster ciphers; for diagnostics). */
export function ssh2NativeCryptoAvailable(): boolean {
  const crypto = require('ssh2/lib/protocol/crypto.js') as { bindingAvailable?: boolean };
  return crypto.bindingAvailable === true;
}
