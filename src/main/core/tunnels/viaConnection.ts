/**
 * The manager's view of an SSH connection to a tunnel's via host, and an adapter from the SSH
 * engine's SshConnection (what the pool hands out).
 */
import type { Duplex } from 'node:stream';
import type { TunnelProfile } from '../../../shared/model/settings';
import { SshError, translateForwardError, type SshConnection } from '../ssh';

export interface ViaConnection {
  /** direct-tcpip from the via host (rejects with SshError). */
  forwardOut(host: string, port: number): Promise<Duplex>;
  /** Resolves when the SSH connection drops (with the SshError if any). */
  closed: Promise<unknown>;
  /** The manager no longer needs it (the pool may close it after its idle timeout). */
  release(): void;
}

export interface TunnelConnector {
  /**
   * Connect (or reuse a pooled connection) to the profile's via host. Rejects with SshError; code
   * 'certificate-expired' or a missing sign-in (see needsSignIn) means waiting-for-sign-in.
   */
  connect(profile: TunnelProfile, signal: AbortSignal): Promise<ViaConnection>;
}

/** A ViaConnection over an SshConnection (direct, or the target of a jump). */
export function sshViaConnection(connection: SshConnection, release: () => void): ViaConnection {
  const context = { host: connection.host, port: connection.port, hop: 'jump' as const };
  // ssh2 emits 'close' before failing the channel opens still pending: remember it, so those
  // failures read as a lost connection (the manager then retries on the next connection).
  let isClosed = false;
  let ended: (error: unknown) => void = () => undefined;
  const endedPromise = new Promise<unknown>((resolve) => (ended = resolve));
  connection.client.once('close', () => (isClosed = true));
  // Through a jump, the transport is a channel: when the via host goes away the channel may only
  // end (EOF), never close, and ssh2 then stops its keepalive. An ended transport is a lost one.
  connection.client.once('end', () => {
    isClosed = true;
    ended(
      new SshError(
        'connection-lost',
        `The SSH connection to ${connection.host}:${String(connection.port)} was closed by the other side.`,
        'target',
      ),
    );
  });
  const lost = (cause: unknown) =>
    new SshError(
      'connection-lost',
      `The SSH connection to ${connection.host}:${String(connection.port)} closed; reconnecting.`,
      'target',
      { cause },
    );
  return {
    forwardOut: (host, port) =>
      new Promise<Duplex>((resolve, reject) => {
        if (isClosed) {
          reject(lost(new Error('Not connected')));
          return;
        }
        try {
          connection.client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => {
            if (!error) resolve(channel);
            else if (isClosed) reject(lost(error));
            else reject(translateForwardError(error, context, { host, port }));
          });
        } catch (error) {
          // ssh2 throws "Not connected" synchronously once the socket is gone.
          reject(lost(error));
        }
      }),
    closed: Promise.race([connection.closed, endedPromise]),
    release,
  };
}
