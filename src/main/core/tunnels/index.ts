/**
 * Tunnels: saved local (`-L`) and SOCKS (`-D`) forwards through a via host, kept up across
 * connection drops and re-sign-in, with launchers (ecflow_ui through proxychains4).
 */
export {
  TunnelManager,
  isTransient,
  needsSignIn,
  type TunnelAlert,
  type TunnelManagerOptions,
  type TunnelTiming,
} from './manager';
export { sshViaConnection, type TunnelConnector, type ViaConnection } from './viaConnection';
export {
  forwardLabel,
  isLoopbackAddress,
  parseVia,
  validateTunnelProfile,
  ViaSyntaxError,
  type ProfileIssue,
  type ValidateOptions,
  type Via,
} from './validation';
export {
  expandPlaceholders,
  findExecutable,
  LauncherError,
  placeholderValues,
  planLaunch,
  proxychainsConfig,
  runLauncher,
  writeProxychainsConf,
  type LauncherHandle,
  type LaunchPlan,
  type PlaceholderValues,
} from './launcher';
export {
  ListenError,
  translateListenError,
  type Dial,
  type ForwardCounters,
  type ForwardServer,
  type ForwardServerOptions,
} from './forwarding/common';
export { startSocks5Server, type Socks5ServerOptions } from './forwarding/socks5Server';
export { startLocalForwardServer, type LocalForwardOptions } from './forwarding/localForwardServer';
export { Reply, replyForError, type ReplyCode } from './forwarding/socks5Protocol';
export { poolConnector } from './poolConnector';
export { createTunnelHandlers } from './commands';
