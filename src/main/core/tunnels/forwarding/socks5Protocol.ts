/**
 * The SOCKS5 wire format (RFC 1928) we speak: greeting, CONNECT request and replies, as pure
 * functions over buffers so they are tested without sockets.
 */
import { isIPv4 } from 'node:net';

export const SOCKS_VERSION = 5;
export const METHOD_NO_AUTH = 0x00;
export const METHOD_NONE_ACCEPTABLE = 0xff;
export const CMD_CONNECT = 0x01;

export const Reply = {
  succeeded: 0x00,
  generalFailure: 0x01,
  notAllowed: 0x02,
  networkUnreachable: 0x03,
  hostUnreachable: 0x04,
  connectionRefused: 0x05,
  ttlExpired: 0x06,
  commandNotSupported: 0x07,
  addressTypeNotSupported: 0x08,
} as const;
export type ReplyCode = (typeof Reply)[keyof typeof Reply];

/** Longest greeting (2 + 255 methods) and request (4 + 1 + 255 + 2): nothing more is buffered. */
export const MAX_GREETING = 257;
export const MAX_REQUEST = 262;

export type Parsed<T> =
  | { kind: 'incomplete' }
  | { kind: 'invalid'; reason: string }
  | ({ kind: 'ok'; consumed: number } & T);

export function parseGreeting(buf: Buffer): Parsed<{ methods: number[] }> {
  if (buf.length < 1) return { kind: 'incomplete' };
  if (buf[0] !== SOCKS_VERSION) {
    return { kind: 'invalid', reason: `not a SOCKS5 client (version byte ${String(buf[0])})` };
  }
  if (buf.length < 2) return { kind: 'incomplete' };
  const count = buf[1] as number;
  if (buf.length < 2 + count) return { kind: 'incomplete' };
  return { kind: 'ok', consumed: 2 + count, methods: [...buf.subarray(2, 2 + count)] };
}

export interface SocksRequest {
  command: number;
  /** A dotted IPv4, an IPv6 literal (no brackets) or a domain name exactly as the client sent it. */
  host: string;
  port: number;
  addressType: 'ipv4' | 'ipv6' | 'domain';
}

export type ParsedRequest =
  | Parsed<SocksRequest>
  /** Well-formed framing we refuse: answer with this reply code. */
  | { kind: 'refuse'; reply: ReplyCode; reason: string };

function ipv6ToString(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  // Compress the longest run of zero groups, as people write IPv6 addresses.
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(':');
  const head = groups.slice(0, best.start).join(':');
  const tail = groups.slice(best.start + best.length).join(':');
  return `${head}::${tail}`;
}

export function parseRequest(buf: Buffer): ParsedRequest {
  if (buf.length < 4) return { kind: 'incomplete' };
  if (buf[0] !== SOCKS_VERSION) {
    return { kind: 'invalid', reason: `bad request version ${String(buf[0])}` };
  }
  const command = buf[1] as number;
  const atyp = buf[3];
  let host: string;
  let offset: number;
  let addressType: SocksRequest['addressType'];
  if (atyp === 0x01) {
    if (buf.length < 10) return { kind: 'incomplete' };
    host = [...buf.subarray(4, 8)].join('.');
    offset = 8;
    addressType = 'ipv4';
  } else if (atyp === 0x04) {
    if (buf.length < 22) return { kind: 'incomplete' };
    host = ipv6ToString(buf.subarray(4, 20));
    offset = 20;
    addressType = 'ipv6';
  } else if (atyp === 0x03) {
    if (buf.length < 5) return { kind: 'incomplete' };
    const length = buf[4] as number;
    if (buf.length < 5 + length + 2) return { kind: 'incomplete' };
    host = buf.subarray(5, 5 + length).toString('latin1');
    offset = 5 + length;
    addressType = 'domain';
    if (length === 0 || !/^[\x21-\x7e]+$/.test(host)) {
      return {
        kind: 'refuse',
        reply: Reply.hostUnreachable,
        reason: 'an empty or binary host name',
      };
    }
  } else {
    return {
      kind: 'refuse',
      reply: Reply.addressTypeNotSupported,
      reason: `address type ${String(atyp)} is not supported`,
    };
  }
  const port = buf.readUInt16BE(offset);
  const consumed = offset + 2;
  if (command !== CMD_CONNECT) {
    const name = command === 0x02 ? 'BIND' : command === 0x03 ? 'UDP ASSOCIATE' : String(command);
    return {
      kind: 'refuse',
      reply: Reply.commandNotSupported,
      reason: `the SOCKS command ${name} is not supported (CONNECT only)`,
    };
  }
  if (port === 0) {
    return { kind: 'refuse', reply: Reply.hostUnreachable, reason: 'port 0 was requested' };
  }
  return { kind: 'ok', consumed, command, host, port, addressType };
}

/** A reply; the bound address is 0.0.0.0:0 (clients ignore it for CONNECT, as with `ssh -D`). */
export function encodeReply(code: ReplyCode, bound = '0.0.0.0', port = 0): Buffer {
  const ip = isIPv4(bound) ? bound : '0.0.0.0';
  const out = Buffer.alloc(10);
  out[0] = SOCKS_VERSION;
  out[1] = code;
  out[2] = 0;
  out[3] = 0x01;
  ip.split('.').forEach((part, i) => (out[4 + i] = Number(part)));
  out.writeUInt16BE(port, 8);
  return out;
}

interface CodedError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The error, its causes (bounded), their codes and messages, as one searchable text. */
function describeChain(error: unknown): { codes: string[]; text: string } {
  const codes: string[] = [];
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const e = current as CodedError;
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.message === 'string') texts.push(e.message);
    current = e.cause;
  }
  return { codes, text: texts.join(' | ') };
}

/**
 * The SOCKS reply for a failed dial. SshErrors keep the server's own reason (OpenSSH sends
 * strerror: "Connection refused", "No route to host", …) in their cause chain; Node socket errors
 * carry errno codes.
 */
export function replyForError(error: unknown): ReplyCode {
  const { codes, text } = describeChain(error);
  const has = (code: string) => codes.includes(code);
  if (has('forwarding-refused') || /administratively prohibited/i.test(text)) {
    return Reply.notAllowed;
  }
  if (has('ECONNREFUSED') || /connection refused/i.test(text)) return Reply.connectionRefused;
  if (has('ENETUNREACH') || /network is unreachable/i.test(text)) return Reply.networkUnreachable;
  if (
    has('EHOSTUNREACH') ||
    has('ENOTFOUND') ||
    /no route to host|host is unreachable|name or service not known|not known/i.test(text)
  ) {
    return Reply.hostUnreachable;
  }
  if (has('ETIMEDOUT') || has('handshake-timeout') || /timed out/i.test(text)) {
    return Reply.ttlExpired;
  }
  if (has('unreachable')) return Reply.hostUnreachable;
  return Reply.generalFailure;
}

export function replyName(code: ReplyCode): string {
  const names: Record<number, string> = {
    0x00: 'succeeded',
    0x01: 'general failure',
    0x02: 'not allowed by ruleset',
    0x03: 'network unreachable',
    0x04: 'host unreachable',
    0x05: 'connection refused',
    0x06: 'TTL expired',
    0x07: 'command not supported',
    0x08: 'address type not supported',
  };
  return names[code] ?? `code ${String(code)}`;
}
