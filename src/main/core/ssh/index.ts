/**
 * The SSH engine of the core: certificate logins over ssh2 (patched), host key policy, jump
 * hosts, and plain-language errors. Host key primitives are re-exported from ./hostKeys.
 */
export * from './hostKeys';
export {
  checkUserCertificate,
  connectSsh,
  type ConnectOptions,
  type ExecResult,
  type SshConnection,
  type SshCredentials,
} from './connect';
export { tuneTransportSocket } from './transportSocket';
export {
  connectThroughJump,
  openThroughJump,
  type JumpedConnection,
  type TargetOptions,
} from './jump';
export {
  createHostVerifier,
  judgeHostKey,
  type HostKeyContext,
  type HostKeyDecision,
  type HostKeyOutcome,
  type HostKeyPolicy,
  type HostVerifier,
  type UnknownHostKeyInfo,
} from './hostKeyVerifier';
export {
  SshError,
  translateForwardError,
  translateSshError,
  type ErrorContext,
  type SshErrorCode,
  type SshHop,
} from './errors';
export {
  certHostKeyAlgorithms,
  ssh2NativeCryptoAvailable,
  type Ssh2Channel,
  type Ssh2PtyChannel,
  type Ssh2PtyOptions,
} from './ssh2';
export * from './agent';
