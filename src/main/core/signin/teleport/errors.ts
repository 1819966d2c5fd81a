/**
 * One error type for the whole Teleport sign-in, so hosts can show `message` as is and programs
 * can branch on `code`. Messages are one plain sentence: the cause and what to do.
 */
export type TeleportErrorCode =
  /** The proxy could not be reached (refused, unknown host, no answer in time). */
  | 'unreachable'
  /** The proxy's TLS certificate is not trusted. */
  | 'tls'
  /** The server answered, but not like a Teleport proxy. */
  | 'not-teleport'
  /** The proxy answered with an HTTP error. */
  | 'http'
  /** The cluster needs something OneHop does not do (password login, hardware keys…). */
  | 'unsupported'
  /** The caller gave something unusable (bad duration, wrong key type…). */
  | 'invalid-input'
  /** The browser callback carried an error or an unusable response. */
  | 'callback'
  /** Nobody answered in time. */
  | 'timeout'
  /** The user (or the app) cancelled. */
  | 'cancelled';

export class TeleportSignInError extends Error {
  readonly code: TeleportErrorCode;

  constructor(code: TeleportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TeleportSignInError';
    this.code = code;
  }
}

export const CANCELLED_MESSAGE = 'Sign-in cancelled.';
