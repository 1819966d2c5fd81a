/**
 * The tunnel servers the bench measures: the core's own SOCKS5 and `-L` servers, given a `dial`
 * that is `forwardOut` on the via connection. Kept as one seam so the bench can follow the core
 * if these move.
 */
export { startLocalForwardServer } from '../src/main/core/tunnels/forwarding/localForwardServer';
export { startSocks5Server } from '../src/main/core/tunnels/forwarding/socks5Server';
export type { Dial, ForwardServer } from '../src/main/core/tunnels/forwarding/common';
