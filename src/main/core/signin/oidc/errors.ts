/**
 * One error type for the OIDC + SSH CA sign-in, so hosts can show `message` as is and programs
 * can branch on `code`. Messages are one plain sentence: the cause and what to do.
 */
export type OidcErrorCode =
  /** The site's settings cannot work (plain http to a remote host, bad URL…). */
  | 'invalid-input'
  /** The identity provider could not be reached. */
  | 'idp-unreachable'
  /** The identity provider answered, but its discovery document is missing or unusable. */
  | 'discovery'
  /** The user cancelled or was refused at the identity provider (`error=` on the redirect). */
  | 'denied'
  /** The browser came back with a response that does not belong to this sign-in. */
  | 'state'
  /** The browser came back without a usable response, or the code exchange failed. */
  | 'callback'
  /** The identity provider no longer accepts the saved refresh token. */
  | 'refresh-refused'
  /** The ID token lacks what the certificate needs (a user name). */
  | 'identity'
  /** The SSH CA could not be reached. */
  | 'ca-unreachable'
  /** The SSH CA refused to sign (bad or expired token, policy…). */
  | 'ca-refused'
  /** The SSH CA returned something that is not a certificate for our key. */
  | 'certificate'
  /** Nobody finished the sign-in in the browser in time. */
  | 'timeout'
  /** The user (or the app) cancelled. */
  | 'cancelled';

export class OidcSignInError extends Error {
  readonly code: OidcErrorCode;

  constructor(code: OidcErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OidcSignInError';
    this.code = code;
  }
}

export const CANCELLED_MESSAGE = 'Sign-in cancelled.';

export function cancelled(): OidcSignInError {
  return new OidcSignInError('cancelled', CANCELLED_MESSAGE);
}

/** The innermost message of a fetch failure ("connect ECONNREFUSED 127.0.0.1:9"). */
export function networkCause(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    if (!(current instanceof Error) || current.cause === undefined) break;
    current = current.cause;
  }
  if (current instanceof AggregateError && current.errors[0] instanceof Error) {
    return current.errors[0].message;
  }
  return current instanceof Error ? current.message : String(current);
}

/** Bounds text from a server before it goes into a message. */
export function clip(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
