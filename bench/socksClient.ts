/**
 * A small SOCKS5 client (no auth, CONNECT to an IPv4 address) used against both OneHop's and
 * OpenSSH's `-D` port, so both are measured with the same client. It waits for each answer before
 * sending the next message, as curl does.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const HOST = '127.0.0.1';

/** Resolves with the socket once the proxy replied "succeeded" to CONNECT host:port. */
export function socksConnect(
  proxyPort: number,
  host: string,
  port: number,
  timeoutMs = 15_000,
): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port: proxyPort, noDelay: true });
    let buffer = Buffer.alloc(0);
    let stage: 'method' | 'reply' = 'method';
    const timer = setTimeout(() => fail(new Error('SOCKS handshake timed out')), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('The SOCKS proxy closed the connection')));
    socket.once('connect', () => socket.write(Buffer.from([5, 1, 0])));
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === 'method') {
        if (buffer.length < 2) return;
        if (buffer[0] !== 5 || buffer[1] !== 0) {
          fail(new Error('The SOCKS proxy refused "no authentication"'));
          return;
        }
        buffer = buffer.subarray(2);
        stage = 'reply';
        const request = Buffer.alloc(10);
        request.set([5, 1, 0, 1], 0);
        host.split('.').forEach((part, i) => (request[4 + i] = Number(part)));
        request.writeUInt16BE(port, 8);
        socket.write(request);
      }
      if (buffer.length < 5) return;
      const atyp = buffer[3];
      const length = atyp === 1 ? 10 : atyp === 4 ? 22 : 7 + (buffer[4] ?? 0);
      if (buffer.length < length) return;
      if (buffer[1] !== 0) {
        fail(new Error(`SOCKS CONNECT failed with reply ${String(buffer[1])}`));
        return;
      }
      clearTimeout(timer);
      socket.off('data', onData);
      socket.removeAllListeners('close');
      socket.removeAllListeners('error');
      socket.on('error', () => socket.destroy());
      resolve(socket);
    };
    socket.on('data', onData);
  });
}

/** CONNECTs per second: `total` connections, `concurrency` at a time, each closed once set up. */
export async function connectRate(
  proxyPort: number,
  host: string,
  port: number,
  total: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < total) {
      next++;
      const socket = await socksConnect(proxyPort, host, port);
      socket.destroy();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - start) / 1000);
}

/** Opens `count` SOCKS connections (at most `concurrency` in set-up at a time) and keeps them. */
export async function holdOpen(
  proxyPort: number,
  host: string,
  port: number,
  count: number,
  concurrency: number,
): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      sockets.push(await socksConnect(proxyPort, host, port));
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } catch (error) {
    for (const socket of sockets) socket.destroy();
    throw error;
  }
  return sockets;
}
