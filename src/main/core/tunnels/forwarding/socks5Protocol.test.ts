import { describe, expect, it } from 'vitest';
import { SshError } from '../../ssh/errors';
import { encodeReply, parseGreeting, parseRequest, Reply, replyForError } from './socks5Protocol';

function request(cmd: number, atyp: number, addr: number[], port: number): Buffer {
  return Buffer.from([5, cmd, 0, atyp, ...addr, port >> 8, port & 0xff]);
}

describe('SOCKS5 parsing', () => {
  it('reads a greeting once complete', () => {
    expect(parseGreeting(Buffer.from([5]))).toEqual({ kind: 'incomplete' });
    expect(parseGreeting(Buffer.from([5, 2, 0]))).toEqual({ kind: 'incomplete' });
    expect(parseGreeting(Buffer.from([5, 2, 0, 2]))).toEqual({
      kind: 'ok',
      consumed: 4,
      methods: [0, 2],
    });
    expect(parseGreeting(Buffer.from([4, 1, 0])).kind).toBe('invalid');
  });

  it('reads IPv4, IPv6 and domain CONNECT requests', () => {
    expect(parseRequest(request(1, 1, [10, 0, 0, 7], 4141))).toMatchObject({
      kind: 'ok',
      host: '10.0.0.7',
      port: 4141,
      addressType: 'ipv4',
      consumed: 10,
    });
    const v6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    expect(parseRequest(request(1, 4, v6, 22))).toMatchObject({ host: '2001:db8::1', port: 22 });
    expect(parseRequest(request(1, 4, [...new Array<number>(15).fill(0), 1], 80))).toMatchObject({
      host: '::1',
    });
    const name = [...Buffer.from('logserver.ecmwf.int')];
    expect(parseRequest(request(1, 3, [name.length, ...name], 9316))).toMatchObject({
      kind: 'ok',
      host: 'logserver.ecmwf.int',
      port: 9316,
      addressType: 'domain',
    });
  });

  it('waits for the rest of a request and keeps data after it unconsumed', () => {
    const full = request(1, 1, [127, 0, 0, 1], 80);
    expect(parseRequest(full.subarray(0, 7))).toEqual({ kind: 'incomplete' });
    const withData = Buffer.concat([full, Buffer.from('GET /')]);
    expect(parseRequest(withData)).toMatchObject({ kind: 'ok', consumed: 10 });
  });

  it('answers BIND and UDP ASSOCIATE with "command not supported"', () => {
    expect(parseRequest(request(2, 1, [1, 2, 3, 4], 80))).toMatchObject({
      kind: 'refuse',
      reply: Reply.commandNotSupported,
    });
    expect(parseRequest(request(3, 1, [1, 2, 3, 4], 80))).toMatchObject({
      kind: 'refuse',
      reply: 0x07,
    });
  });

  it('refuses unknown address types, empty names and port 0', () => {
    expect(parseRequest(request(1, 9, [], 80))).toMatchObject({ reply: 0x08 });
    expect(parseRequest(request(1, 3, [0], 80))).toMatchObject({ kind: 'refuse' });
    expect(parseRequest(request(1, 1, [1, 2, 3, 4], 0))).toMatchObject({ kind: 'refuse' });
  });

  it('encodes replies with a zero bound address', () => {
    expect([...encodeReply(Reply.succeeded)]).toEqual([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(encodeReply(Reply.connectionRefused)[1]).toBe(5);
  });
});

describe('SOCKS5 reply mapping', () => {
  const ssh2Failure = (message: string, reason: number) =>
    Object.assign(new Error(`(SSH) Channel open failure: ${message}`), { reason });
  const forward = (cause: Error, code: 'unreachable' | 'forwarding-refused' = 'unreachable') =>
    new SshError(code, 'The jump host could not connect to x:1.', 'jump', { cause });

  it('maps the SSH server reason to the reply code', () => {
    expect(replyForError(forward(ssh2Failure('Connection refused', 2)))).toBe(0x05);
    expect(replyForError(forward(ssh2Failure('No route to host', 2)))).toBe(0x04);
    expect(replyForError(forward(ssh2Failure('Network is unreachable', 2)))).toBe(0x03);
    expect(replyForError(forward(ssh2Failure('Connection timed out', 2)))).toBe(0x06);
    expect(replyForError(forward(ssh2Failure('Name or service not known', 2)))).toBe(0x04);
    expect(replyForError(forward(ssh2Failure('open failed', 1), 'forwarding-refused'))).toBe(0x02);
    expect(replyForError(forward(ssh2Failure('connect failed', 2)))).toBe(0x04);
  });

  it('maps Node errno codes and timeouts', () => {
    const errno = (code: string) => Object.assign(new Error(code), { code });
    expect(replyForError(errno('ECONNREFUSED'))).toBe(0x05);
    expect(replyForError(errno('EHOSTUNREACH'))).toBe(0x04);
    expect(replyForError(errno('ENETUNREACH'))).toBe(0x03);
    expect(replyForError(errno('ETIMEDOUT'))).toBe(0x06);
  });

  it('falls back to general failure', () => {
    expect(replyForError(new SshError('connection-lost', 'gone'))).toBe(0x01);
    expect(replyForError('weird')).toBe(0x01);
  });
});
