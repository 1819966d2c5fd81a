/**
 * Teleport SSO console login (teleport-sso.md), the protocol pieces only: discovery, the login
 * plan, the console request, the loopback callback and its sealed response. Key generation and
 * storage live elsewhere; this module takes public keys and returns certificates.
 *
 *   const { ping, clockSkewMs } = await fetchPing(proxy, { connector });
 *   const plan = buildLoginPlan(ping, { connector, ttl });
 *   // generate keys per plan.keys …
 *   const callback = await startCallbackServer({ proxyWebUrl: proxyBaseUrl(proxy) });
 *   const { redirectUrl } = await startConsoleLogin(proxy, plan, keys, callback.redirectUrl);
 *   // open redirectUrl in the browser …
 *   const login = await callback.waitForResult({ signal });
 */
export { TeleportSignInError, type TeleportErrorCode } from './errors';
export { parseGoDuration, formatDuration, durationInWords } from './duration';
export {
  isLoopbackHost,
  hostPort,
  proxyBaseUrl,
  type ProxyAddress,
  type ProxyRequestOptions,
} from './http';
export {
  fetchPing,
  parsePing,
  type PingOptions,
  type PingResult,
  type TeleportPing,
  type ConnectorType,
  type ConnectorInfo,
} from './ping';
export {
  buildLoginPlan,
  serverMajor,
  NEWEST_TESTED_MAJOR,
  OLDEST_TESTED_MAJOR,
  MIN_CERT_TTL_MS,
  MAX_CERT_TTL_MS,
  DEFAULT_CERT_TTL_MS,
  type LoginPlan,
  type LoginPlanOptions,
  type KeyAlgorithm,
  type KeyChoice,
  type RequestShape,
} from './loginPlan';
export { startConsoleLogin, buildConsoleRequest, type SignInPublicKeys } from './consoleLogin';
export { seal, open, newSecretKey } from './sealed';
export { parseLoginResponse, type TeleportLogin, type HostSigner } from './loginResponse';
export {
  startCallbackServer,
  CALLBACK_TIMEOUT_MS,
  type CallbackServer,
  type CallbackServerOptions,
  type WaitOptions,
} from './callbackServer';
