/**
 * How the tunnel manager reacts to a failed SSH connect, by the error's plain code: pause for
 * sign-in, retry with backoff, or fail the tunnel.
 */

const SIGN_IN_CODES = new Set([
  'certificate-expired',
  'certificate-not-yet-valid',
  'bad-credentials',
  'not-signed-in',
  'signed-out',
]);
const TRANSIENT_CODES = new Set([
  'unreachable',
  'handshake-timeout',
  'connection-lost',
  'ssh-failed',
]);

/** The error's `code` when it is a string (SshError, ContractError, Node errors). */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Errors that a new sign-in fixes: an expired or unusable certificate, or none at all (the
 * connector may reject with any Error whose code is 'signed-out').
 */
export function needsSignIn(error: unknown): boolean {
  return SIGN_IN_CODES.has(codeOf(error) ?? '');
}

/** Errors worth retrying with backoff (network, server restarts); others fail the tunnel. */
export function isTransient(error: unknown): boolean {
  return TRANSIENT_CODES.has(codeOf(error) ?? '');
}
