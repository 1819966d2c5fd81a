/**
 * The OpenSSH hand-off: standard ssh, scp and rsync use the signed-in certificate through a
 * generated Include-able config, OneHop's known_hosts and the ssh-agent (or key files); and the
 * import of ~/.ssh/config into hosts and tunnel profiles.
 */
export {
  OpenSshHandoff,
  defaultLogin,
  type HandoffInput,
  type HandoffMode,
  type HandoffResult,
  type OpenSshHandoffOptions,
} from './handoff';
export {
  createOpenSshHandlers,
  defaultProxySshAddress,
  type OpenSshHandlerDeps,
  type ProxySshAddress,
} from './commands';
export {
  createHandoffFollower,
  type HandoffFollower,
  type HandoffFollowerOptions,
} from './follower';
