/**
 * The SOCKS5 and -L servers over plain TCP (dial = net.connect): handshake, replies, half-close,
 * counters, bounded waits, listen errors, and nothing left open after close().
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalForwardServer } from './localForwardServer';
import { startSocks5Server } from './socks5Server';
import type { Dial, ForwardServer } from './common';

let echo: net.Server;
let echoPort = 0;
const echoSockets = new Set<net.Socket>();

beforeAll(async () => {
  // Echoes, and ends its side when the client ends (half-close aware).
  echo = net.createServer({ allowHalfOpen: true }, (socket) => {
    echoSockets.add(socket);
    socket.on('close', () => echoSockets.delete(socket));
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

const tcpDial: Dial = (host, port) =>
  new Promise<Duplex>((resolve, reject) => {
    const socket = net.connect({ host, port, allowHalfOpen: true });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Reads exactly n bytes (or what arrived before the end). */
function read(socket: net.Socket, n: number): Promise<Buffer> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= n) finish();
    };
    const finish = () => {
      socket.off('data', onData);
      socket.off('end', finish);
      socket.off('close', finish);
      socket.pause();
      resolve(buf.subarray(0, n));
      if (buf.length > n) socket.unshift(buf.subarray(n));
    };
    socket.on('data', onData);
    socket.once('end', finish);
    socket.once('close', finish);
    socket.resume();
  });
}

function until(check: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met in time'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

async function socksConnect(port: number, host: string, targetPort: number, cmd = 1) {
  const socket = await connect(port);
  socket.write(Buffer.from([5, 1, 0]));
  expect([...(await read(socket, 2))]).toEqual([5, 0]);
  const name = Buffer.from(host);
  socket.write(
    Buffer.from([5, cmd, 0, 3, name.length, ...name, targetPort >> 8, targetPort & 255]),
  );
  const reply = await read(socket, 10);
  return { socket, reply: reply[1] };
}

describe('SOCKS5 server', () => {
  let server: ForwardServer;
  const dialed: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startSocks5Server({
      bindAddress: '127.0.0.1',
      bindPort: 0,
      dial: (host, port) => {
        dialed.push(`${host}:${String(port)}`);
        if (host === 'slow.example') return new Promise(() => undefined);
        return tcpDial(host === 'echo.example' ? '127.0.0.1' : host, port);
      },
      onConnectionError: (message) => errors.push(message),
      handshakeTimeoutMs: 300,
      dialTimeoutMs: 300,
    });
  });
  afterAll(() => server.close());

  it('passes domain names to dial unresolved and pipes both ways with counters', async () => {
    const { socket, reply } = await socksConnect(server.port, 'echo.example', echoPort);
    expect(reply).toBe(0);
    expect(dialed).toContain(`echo.example:${String(echoPort)}`);
    socket.write('hello');
    expect((await read(socket, 5)).toString()).toBe('hello');
    // Half-close: our end arrives at the echo server, which ends back.
    socket.end();
    await until(() => socket.destroyed || socket.readableEnded);
    await until(() => server.counters().activeConnections === 0);
    expect(server.counters()).toMatchObject({ totalConnections: 1, bytesOut: 5, bytesIn: 5 });
  });

  it('forwards data the client sent before the reply (optimistic clients)', async () => {
    const socket = await connect(server.port);
    const name = Buffer.from('echo.example');
    socket.write(
      Buffer.concat([
        Buffer.from([5, 1, 0, 5, 1, 0, 3, name.length, ...name, echoPort >> 8, echoPort & 255]),
        Buffer.from('early'),
      ]),
    );
    const answer = await read(socket, 2 + 10 + 5);
    expect(answer.subarray(12).toString()).toBe('early');
    socket.destroy();
  });

  it('answers a refused target with 0x05 and keeps serving', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { reply, socket } = await socksConnect(server.port, '127.0.0.1', deadPort);
    expect(reply).toBe(0x05);
    await until(() => socket.destroyed || socket.readableEnded);
    expect(errors.at(-1)).toMatch(/connection refused/);
    const next = await socksConnect(server.port, 'echo.example', echoPort);
    expect(next.reply).toBe(0);
    next.socket.destroy();
  });

  it('answers BIND with "command not supported" and a slow dial with TTL expired', async () => {
    expect((await socksConnect(server.port, 'echo.example', echoPort, 2)).reply).toBe(0x07);
    expect((await socksConnect(server.port, 'slow.example', 80)).reply).toBe(0x06);
  });

  it('refuses clients that want authentication, and drops silent ones after the handshake timeout', async () => {
    const auth = await connect(server.port);
    auth.write(Buffer.from([5, 1, 2]));
    expect([...(await read(auth, 2))]).toEqual([5, 0xff]);
    const silent = await connect(server.port);
    await until(() => silent.destroyed || silent.readableEnded, 2_000);
    const http = await connect(server.port);
    http.write('GET / HTTP/1.1\r\n\r\n');
    await until(() => http.destroyed || http.readableEnded);
    for (const s of [auth, silent, http]) s.destroy();
  });

  it('names the address and port when the port is taken', async () => {
    await expect(
      startSocks5Server({ bindAddress: '127.0.0.1', bindPort: server.port, dial: tcpDial }),
    ).rejects.toThrow(
      `Port ${String(server.port)} on 127.0.0.1 is already in use (by another program); choose another port or stop that program.`,
    );
    await expect(
      startSocks5Server({ bindAddress: '192.0.2.1', bindPort: 9050, dial: tcpDial }),
    ).rejects.toThrow(/192\.0\.2\.1 is not an address of this computer/);
  });
});

describe('-L server', () => {
  it('pipes each connection to the target and leaves nothing open after close()', async () => {
    const server = await startLocalForwardServer({
      bindAddress: '127.0.0.1',
      bindPort: 0,
      targetHost: '127.0.0.1',
      targetPort: echoPort,
      dial: tcpDial,
    });
    const clients = await Promise.all([1, 2, 3].map(() => connect(server.port)));
    for (const [i, c] of clients.entries()) c.write(`client${String(i)}`);
    const answers = await Promise.all(clients.map((c) => read(c, 7)));
    expect(answers.map(String)).toEqual(['client0', 'client1', 'client2']);
    expect(server.counters()).toMatchObject({ activeConnections: 3, totalConnections: 3 });
    await server.close();
    await until(() => clients.every((c) => c.destroyed || c.readableEnded));
    await until(() => echoSockets.size === 0);
    expect(server.listening()).toBe(false);
    expect(server.counters().activeConnections).toBe(0);
    for (const c of clients) c.destroy();
  });

  it('closes a client whose target refuses and records the reason', async () => {
    const errors: string[] = [];
    const server = await startLocalForwardServer({
      bindAddress: '127.0.0.1',
      bindPort: 0,
      targetHost: 'nowhere.example',
      targetPort: 1,
      dial: () => Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })),
      onConnectionError: (message) => errors.push(message),
    });
    const client = await connect(server.port);
    await until(() => client.destroyed || client.readableEnded);
    expect(errors).toEqual(['nowhere.example:1: refused']);
    expect(server.counters().lastError).toBe('nowhere.example:1: refused');
    client.destroy();
    await server.close();
  });
});
