/**
 * A dynamic (`-D`) forward: a SOCKS5 CONNECT server on a local port whose connections are opened
 * on the remote side through `dial`.
 *
 * Written by hand rather than with a library: the protocol part we need is tiny (no auth,
 * CONNECT only), domain names must reach the remote side unresolved (remote DNS is the point of
 * the feature), replies must be mapped from SSH channel failures, and we want per-connection
 * counters and a bounded wait for the remote side. `socksv5` is unmaintained since 2016 and its
 * forks wrap the same callback design around what is ~150 lines here.
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
import {
  encodeReply,
  MAX_GREETING,
  MAX_REQUEST,
  METHOD_NO_AUTH,
  METHOD_NONE_ACCEPTABLE,
  parseGreeting,
  parseRequest,
  Reply,
  replyForError,
  replyName,
  SOCKS_VERSION,
} from './socks5Protocol';

export interface Socks5ServerOptions extends ForwardServerOptions {
  /** Bound on the greeting + request from a client (default 10 s). */
  handshakeTimeoutMs?: number;
}

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

function formatTarget(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${String(port)}` : `${host}:${String(port)}`;
}

/** Binds the SOCKS5 server; rejects with a ListenError ("Port 9050 on 127.0.0.1 is …"). */
export async function startSocks5Server(options: Socks5ServerOptions): Promise<ForwardServer> {
  const counters = newCounters();
  const sockets = new SocketSet();
  const onActivity = options.onActivity ?? (() => undefined);
  const handshakeMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  const dialMs = options.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS;
  let closing = false;

  const fail = (message: string) => {
    counters.lastError = message;
    options.onConnectionError?.(message);
    onActivity();
  };

  const server = net.createServer(
    { allowHalfOpen: true, noDelay: true, highWaterMark: CLIENT_SOCKET_BUFFER },
    (client) => {
      const release = admitClient(client, {
        closing: () => closing,
        sockets,
        counters,
        onActivity,
      });
      if (!release) return;
      client.setTimeout(handshakeMs, () => {
        client.destroy();
      });

      let buffer = Buffer.alloc(0);
      let stage: 'greeting' | 'request' = 'greeting';
      const refuse = (code: (typeof Reply)[keyof typeof Reply], why: string) => {
        client.off('data', onData);
        client.end(encodeReply(code));
        client.setTimeout(0);
        // A client that never closes its side must not keep the socket open.
        setTimeout(() => client.destroy(), 1_000).unref();
        fail(why);
      };
      const onData = (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        if (buffer.length > MAX_GREETING + MAX_REQUEST) {
          client.destroy();
          return;
        }
        if (stage === 'greeting') {
          const greeting = parseGreeting(buffer);
          if (greeting.kind === 'incomplete') return;
          if (greeting.kind === 'invalid') {
            client.destroy();
            fail(`A client on the SOCKS port spoke something else (${greeting.reason}).`);
            return;
          }
          buffer = buffer.subarray(greeting.consumed);
          if (!greeting.methods.includes(METHOD_NO_AUTH)) {
            client.off('data', onData);
            client.end(Buffer.from([SOCKS_VERSION, METHOD_NONE_ACCEPTABLE]));
            fail(
              'A SOCKS client asked for authentication; this proxy offers only "no authentication".',
            );
            return;
          }
          client.write(Buffer.from([SOCKS_VERSION, METHOD_NO_AUTH]));
          stage = 'request';
        }
        const request = parseRequest(buffer);
        if (request.kind === 'incomplete') return;
        if (request.kind === 'invalid') {
          client.destroy();
          fail(`A SOCKS client sent a malformed request (${request.reason}).`);
          return;
        }
        if (request.kind === 'refuse') {
          refuse(request.reply, `A SOCKS request was refused: ${request.reason}.`);
          return;
        }
        // Hold further data (bounded by the socket's own buffer) until the remote side answers.
        client.off('data', onData);
        client.pause();
        client.setTimeout(0);
        const early = buffer.subarray(request.consumed);
        const target = formatTarget(request.host, request.port);
        dialWithin(options.dial, request.host, request.port, dialMs).then(
          (remote) => {
            if (client.destroyed || closing) {
              remote.destroy();
              return;
            }
            client.write(encodeReply(Reply.succeeded));
            if (early.length > 0) {
              counters.bytesOut += early.length;
              remote.write(early);
            }
            link(client, remote, counters, onActivity, release);
            client.resume();
          },
          (error: unknown) => {
            const code = replyForError(error);
            if (client.destroyed) {
              fail(`${target}: ${errorMessage(error)}`);
              return;
            }
            refuse(code, `${target}: ${errorMessage(error)} (SOCKS reply: ${replyName(code)})`);
          },
        );
      };
      client.on('data', onData);
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
