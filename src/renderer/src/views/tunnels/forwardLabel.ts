import type { Forward } from '../../../../shared/model/settings';

/** Forwards in the notation users already know from ssh: `-D 127.0.0.1:9050`, `-L 4141 → machine1:4141`. */
export function forwardLabel(forward: Forward): string {
  if (forward.kind === 'dynamic') return `-D ${forward.bindAddress}:${forward.bindPort}`;
  const bind =
    forward.bindAddress === '127.0.0.1'
      ? `${forward.bindPort}`
      : `${forward.bindAddress}:${forward.bindPort}`;
  return `-L ${bind} → ${forward.targetHost}:${forward.targetPort}`;
}

export function forwardDescription(forward: Forward): string {
  return forward.kind === 'dynamic'
    ? 'SOCKS proxy; names are resolved on the remote side'
    : `local port ${forward.bindPort} to ${forward.targetHost} port ${forward.targetPort}`;
}
