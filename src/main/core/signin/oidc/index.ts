/**
 * OIDC + SSH CA sign-in (sites without Teleport): `OidcCaIssuer` implements the `Issuer`
 * interface; the loopback redirect and the step-ca client are exported for tests and reuse.
 */
export { OidcCaIssuer, DEFAULT_OIDC_CERT_TTL_MS } from './oidcCaIssuer';
export { OidcSignInError, CANCELLED_MESSAGE, type OidcErrorCode } from './errors';
export {
  startLoopbackRedirect,
  REDIRECT_TIMEOUT_MS,
  type LoopbackRedirect,
  type LoopbackRedirectOptions,
  type RedirectHost,
} from './loopbackRedirect';
export {
  signUserKey,
  fetchSshRoots,
  goDuration,
  type SignRequest,
  type SshRoots,
} from './stepCaClient';
export { principalsFromClaims, usernameFromClaims } from './principals';
