/**
 * A target reached through a jump host (the site's SSH proxy): a direct-tcpip channel on the
 * jump connection carries the target's own SSH session, authenticated and verified end to end.
 */
import { connectSsh, type ConnectOptions, type SshConnection } from './connect';
import { SshError, translateForwardError } from './errors';
import type { Ssh2Channel } from './ssh2';

export type TargetOptions = Omit<ConnectOptions, 'sock' | 'hop'>;

export interface JumpedConnection {
  jump: SshConnection;
  /** Closing the target alone leaves the jump connection open (it may be shared). */
  target: SshConnection;
  /** Closes the target, then the jump connection this call opened. */
  close(): Promise<void>;
}

function openChannel(jump: SshConnection, host: string, port: number): Promise<Ssh2Channel> {
  return new Promise((resolve, reject) => {
    jump.client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => {
      if (error) {
        reject(
          translateForwardError(
            error,
            { host: jump.host, port: jump.port, hop: 'jump' },
            { host, port },
          ),
        );
      } else {
        resolve(channel);
      }
    });
  });
}

/** Opens a target over an already connected jump host; the jump is left open on failure. */
export async function openThroughJump(
  jump: SshConnection,
  target: TargetOptions,
): Promise<SshConnection> {
  if (target.signal?.aborted) {
    throw new SshError(
      'cancelled',
      `The connection to ${target.host}:${String(target.port)} was cancelled.`,
      'target',
    );
  }
  const channel = await openChannel(jump, target.host, target.port);
  try {
    return await connectSsh({ ...target, sock: channel, hop: 'target' });
  } catch (error) {
    channel.destroy();
    throw error;
  }
}

/** Connects the jump host, then the target through it; errors name the hop that failed. */
export async function connectThroughJump(options: {
  jump: Omit<ConnectOptions, 'sock' | 'hop'>;
  target: TargetOptions;
}): Promise<JumpedConnection> {
  const jump = await connectSsh({ ...options.jump, hop: 'jump' });
  let target: SshConnection;
  try {
    target = await openThroughJump(jump, options.target);
  } catch (error) {
    await jump.close();
    throw error;
  }
  return {
    jump,
    target,
    close: async () => {
      await target.close();
      await jump.close();
    },
  };
}
