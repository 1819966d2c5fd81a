/**
 * A local (`-L`) forward: every connection accepted on the bind port is opened on the remote
 * side to `targetHost:targetPort` through `dial` and piped both ways.
 */
import net from 'node:net';
import {
  admitClient,
  CLIENT_SOCKET_BUFFER,
  closeServer,
  DEFAULT_DIAL_TIMEOUT_MS,
  dialWithin,
  errorMessage,
  link,
  listen,
  newCounters,
  SocketSet,
  type ForwardServer,
  type ForwardServerOptions,
} from './common';

export interface LocalForwardOptions extends ForwardServerOptions {
  targetHost: string;
  targetPort: number;
}

/** Binds the listener; rejects with a ListenError ("Port 4141 on 127.0.0.1 is …"). */
export async function startLocalForwardServer(
  options: LocalForwardOptions,
): Promise<ForwardServer> {
  const counters = newCounters();
  const sockets = new SocketSet();
  const onActivity = options.onActivity ?? (() => undefined);
  const dialMs = options.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS;
  const target = `${options.targetHost}:${String(options.targetPort)}`;
  let closing = false;

  const server = net.createServer(
    {
      allowHalfOpen: true,
      noDelay: true,
      pauseOnConnect: true,
      highWaterMark: CLIENT_SOCKET_BUFFER,
    },
    (client) => {
      const release = admitClient(client, {
        closing: () => closing,
        sockets,
        counters,
        onActivity,
      });
      if (!release) return;
      dialWithin(options.dial, options.targetHost, options.targetPort, dialMs).then(
        (remote) => {
          if (client.destroyed || closing) {
            remote.destroy();
            return;
          }
          link(client, remote, counters, onActivity, release);
          client.resume();
        },
        (error: unknown) => {
          // A local forward has no way to say why: close the client and log the reason.
          client.destroy();
          const message = `${target}: ${errorMessage(error)}`;
          counters.lastError = message;
          options.onConnectionError?.(message);
          onActivity();
        },
      );
    },
  );
  server.maxConnections = 4096;

  const port = await listen(server, options.bindAddress, options.bindPort);
  return {
    bindAddress: options.bindAddress,
    port,
    listening: () => server.listening,
    counters: () => ({ ...counters }),
    close: () => {
      closing = true;
      return closeServer(server, sockets);
    },
  };
}
