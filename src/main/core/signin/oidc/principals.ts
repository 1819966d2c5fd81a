/**
 * Which SSH logins (certificate principals) to ask the CA for, from the ID token.
 *
 * Rule: `preferred_username` when present, else `email`; in both cases only the part before an
 * `@` (Entra ID and others put an e-mail address in preferred_username). The result must be a
 * plausible Unix user name. The CA may still narrow or replace the list by its own policy; the
 * certificate it returns is what counts.
 */
import { OidcSignInError } from './errors';

const UNIX_NAME = /^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/;

function localPart(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  const at = text.lastIndexOf('@');
  return at > 0 ? text.slice(0, at) : text;
}

export function principalsFromClaims(claims: Record<string, unknown>): string[] {
  const candidate = localPart(claims.preferred_username) ?? localPart(claims.email);
  if (candidate === undefined) {
    throw new OidcSignInError(
      'identity',
      'The identity provider sent no preferred_username or email, so OneHop cannot tell which login to request; ask its administrators to release the "email" or "profile" claims.',
    );
  }
  if (!UNIX_NAME.test(candidate)) {
    throw new OidcSignInError(
      'identity',
      `The user name "${candidate.slice(0, 64)}" from the identity provider is not a valid login name; ask the administrators to set a plain preferred_username.`,
    );
  }
  return [candidate];
}

/** The name shown for the signed-in user: the e-mail address, else the subject. */
export function usernameFromClaims(claims: Record<string, unknown>): string {
  if (typeof claims.email === 'string' && claims.email) return claims.email;
  return typeof claims.sub === 'string' && claims.sub ? claims.sub : 'unknown';
}
