/**
 * Sign-in: issuers (Teleport proxy, OIDC + SSH CA) behind one interface, and the service that
 * runs them, stores the result in the vault and keeps the certificate status current.
 */
export { SignInService, CLOCK_SKEW_WARNING_MS, type SignInServiceOptions } from './service';
export { createSignInHandlers } from './commands';
export { createBrowserOpener, systemOpener, assertWebUrl, type OpenUrl } from './browser';
export { siteStatus, signedOutStatus, nextTransition } from './status';
export { lazyIssuer } from './issuer';
export type {
  Issuer,
  IssuedCredentials,
  SignInInteraction,
  SignInOptions,
  SignInResult,
} from './issuer';
