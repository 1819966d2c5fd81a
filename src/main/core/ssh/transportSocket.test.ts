import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectTransportSocket, tuneTransportSocket } from './transportSocket';

const servers: net.Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

async function serve(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer(onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

function ended(socket: net.Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('end', resolve);
    socket.once('error', reject);
  });
}

describe('SSH transport socket', () => {
  it('keeps every chunk it handed out intact while later reads arrive (slabs are never reused)', async () => {
    // Like ssh2 forwarding channel data as views of the read buffer: hold all of them, compare
    // at the end. 6 MB spans many slabs and many reads.
    const payload = randomBytes(6 * 1024 * 1024);
    const port = await serve((socket) => socket.end(payload));
    const socket = connectTransportSocket('127.0.0.1', port);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    await ended(socket);
    socket.destroy();
    expect(Buffer.concat(chunks).equals(payload)).toBe(true);
  });

  it('delivers what arrived before anyone listened, first and in order', async () => {
    const port = await serve((socket) => {
      socket.write('SSH-2.0-OpenSSH_9.2\r\n');
      setTimeout(() => socket.end('after'), 50);
    });
    const socket = connectTransportSocket('127.0.0.1', port);
    await new Promise((resolve) => setTimeout(resolve, 30)); // ssh2 listens late, like this
    const chunks: string[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    await ended(socket);
    socket.destroy();
    expect(chunks.join('')).toBe('SSH-2.0-OpenSSH_9.2\r\nafter');
  });

  it('sends the packets written in one callback together, and each write still arrives', async () => {
    const received: Buffer[] = [];
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const port = await serve((socket) => {
      socket.on('data', (chunk: Buffer) => {
        received.push(chunk);
        if (Buffer.concat(received).length === 3 * 100) done();
      });
    });
    const socket = connectTransportSocket('127.0.0.1', port);
    try {
      await new Promise((resolve) => socket.once('connect', resolve));
      for (const fill of [1, 2, 3]) socket.write(Buffer.alloc(100, fill));
      // Held until this callback returns (then one writev), not written one syscall at a time.
      expect(socket.writableLength).toBe(300);
      await all;
    } finally {
      socket.destroy();
    }
    expect(Buffer.concat(received)).toEqual(
      Buffer.concat([1, 2, 3].map((fill) => Buffer.alloc(100, fill))),
    );
  });

  it('tunes a socket connected elsewhere (TLS routing) without starting its flow early', async () => {
    const port = await serve((socket) => {
      socket.resume(); // take what the client writes, so its close is seen
      socket.write('SSH-2.0-OpenSSH_9.2\r\n');
      setTimeout(() => socket.end('after'), 50);
    });
    const socket = net.connect(port, '127.0.0.1');
    tuneTransportSocket(socket);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('a');
    socket.write('b');
    expect(socket.writableLength).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const chunks: string[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    await ended(socket);
    socket.destroy();
    expect(chunks.join('')).toBe('SSH-2.0-OpenSSH_9.2\r\nafter');
  });
});
