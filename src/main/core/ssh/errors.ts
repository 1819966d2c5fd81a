/**
 * SSH failures in plain language. Every error the engine throws is an SshError with a stable
 * `code` (for the UI and the CLI exit path) and one sentence naming the cause and what to do.
 */
import type { Ssh2Error } from './ssh2';

export type SshErrorCode =
  | 'certificate-expired'
  | 'certificate-not-yet-valid'
  | 'login-not-in-principals'
  | 'bad-credentials'
  | 'host-ca-not-trusted'
  | 'host-certificate-refused'
  | 'host-key-changed'
  | 'host-key-revoked'
  | 'host-key-unknown'
  | 'host-key-rejected'
  | 'unreachable'
  | 'auth-refused'
  | 'forwarding-refused'
  | 'handshake-timeout'
  | 'connection-lost'
  | 'cancelled'
  | 'not-signed-in'
  | 'unknown-host'
  | 'ssh-failed';

/** Which connection failed: the jump (bastion/proxy) or the target behind it. */
export type SshHop = 'direct' | 'jump' | 'target';

export class SshError extends Error {
  override readonly name = 'SshError';
  constructor(
    readonly code: SshErrorCode,
    message: string,
    readonly hop: SshHop = 'direct',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ErrorContext {
  host: string;
  port: number;
  hop: SshHop;
}

function where(context: ErrorContext): string {
  const name = `${context.host}:${String(context.port)}`;
  return context.hop === 'jump' ? `the jump host ${name}` : name;
}

const UNREACHABLE_CODES: Record<string, string> = {
  ECONNREFUSED: 'refused the connection (nothing is listening on that port)',
  ETIMEDOUT: 'did not answer in time',
  ENOTFOUND: 'is not a known host name',
  EAI_AGAIN: 'could not be looked up (DNS is not answering)',
  EHOSTUNREACH: 'cannot be reached from this network',
  ENETUNREACH: 'cannot be reached from this network',
  ECONNRESET: 'closed the connection during the handshake',
};

/** Translates an ssh2 or socket error; SshErrors pass through unchanged. */
export function translateSshError(error: unknown, context: ErrorContext): SshError {
  if (error instanceof SshError) return error;
  const err = (error instanceof Error ? error : new Error(String(error))) as Ssh2Error;
  const at = where(context);
  const make = (code: SshErrorCode, message: string) =>
    new SshError(code, message, context.hop, { cause: err });

  const unreachable = err.code === undefined ? undefined : UNREACHABLE_CODES[err.code];
  if (unreachable !== undefined) {
    return make(
      'unreachable',
      `Could not connect to ${at}: it ${unreachable}; check the host name, the port and your network.`,
    );
  }
  if (err.level === 'client-authentication') {
    return make(
      'auth-refused',
      `The server ${at} refused the certificate: it does not accept it for this login ` +
        '(wrong login, a CA the server does not trust, or a key type it does not allow); ' +
        'sign in again or check the login name.',
    );
  }
  if (/Timed out while waiting for handshake/.test(err.message)) {
    return make(
      'handshake-timeout',
      `${at} accepted the connection but did not complete the SSH handshake in time; ` +
        'the server may be overloaded or not an SSH server.',
    );
  }
  if (/Keepalive timeout/.test(err.message)) {
    return make(
      'connection-lost',
      `The connection to ${at} stopped answering (keepalive timeout); reconnect.`,
    );
  }
  if (/signature verification failed/i.test(err.message)) {
    return make(
      'host-key-rejected',
      `${at} did not prove that it holds its host key (the key exchange signature does not ` +
        'verify): someone may be intercepting the connection. The connection was refused.',
    );
  }
  if (/no matching host key format/i.test(err.message)) {
    return make(
      'host-certificate-refused',
      `${at} offers only host key types this app does not accept here; ` +
        "if it presents host certificates, the site's host CA must be known (sign in again).",
    );
  }
  return make('ssh-failed', `The SSH connection to ${at} failed: ${err.message}.`);
}

/** A failed direct-tcpip channel (forwardOut) through a jump host. */
export function translateForwardError(
  error: unknown,
  jump: ErrorContext,
  target: { host: string; port: number },
): SshError {
  const err = (error instanceof Error ? error : new Error(String(error))) as Ssh2Error;
  const dest = `${target.host}:${String(target.port)}`;
  const make = (code: SshErrorCode, message: string) =>
    new SshError(code, message, 'jump', { cause: err });
  if (err.reason === 1 || /administratively prohibited/i.test(err.message)) {
    return make(
      'forwarding-refused',
      `The jump host ${jump.host}:${String(jump.port)} does not permit port forwarding ` +
        `to ${dest} (administratively prohibited); ask its administrators, or check that your ` +
        'certificate allows port forwarding.',
    );
  }
  // Teleport 15+ refuses to dial hosts that are not agents or registered OpenSSH nodes.
  if (/not found in inventory|no such node|node .* not found|unknown node/i.test(err.message)) {
    return make(
      'unreachable',
      `${dest} is not registered behind the Teleport proxy ${jump.host}:${String(jump.port)}; ` +
        'check the host name, or ask the site to register the host.',
    );
  }
  if (err.reason === 2 || /connect failed|connection refused/i.test(err.message)) {
    return make(
      'unreachable',
      `The jump host ${jump.host}:${String(jump.port)} could not connect to ${dest}; ` +
        'check the host name and port, and that the host is registered behind the proxy.',
    );
  }
  return translateSshError(err, jump);
}
