/**
 * A minimal client for the system ssh-agent (draft-miller-ssh-agent): add a key with its
 * certificate (optionally with a lifetime or confirm constraint), list and remove identities.
 * ssh2 has no API for this (ssh2.md §4), and OpenSSH's `ssh`, `scp` and `rsync` read the agent,
 * so this is how OneHop hands the signed-in credential to standard tools without a key file.
 *
 * One connection per request, requests queued one at a time, replies bounded and timed out.
 */
import type { JsonWebKey, KeyObject } from 'node:crypto';
import net from 'node:net';
import {
  certificateMatchesKey,
  parseCertificateLine,
  parsePrivateKey,
  SshReader,
  SshWriter,
} from '../../credentials/sshKeys';

const SSH_AGENT_FAILURE = 5;
const SSH_AGENT_SUCCESS = 6;
const SSH2_AGENTC_REQUEST_IDENTITIES = 11;
const SSH2_AGENT_IDENTITIES_ANSWER = 12;
const SSH2_AGENTC_ADD_IDENTITY = 17;
const SSH2_AGENTC_REMOVE_IDENTITY = 18;
const SSH2_AGENTC_ADD_ID_CONSTRAINED = 25;
const SSH_AGENT_CONSTRAIN_LIFETIME = 1;
const SSH_AGENT_CONSTRAIN_CONFIRM = 2;
// Older agents (ssh.com, some Windows ports) answer failures with these codes.
const OTHER_FAILURES = new Set([30, 102]);

/** Replies larger than this are refused: an identity list of a few hundred keys fits easily. */
export const MAX_AGENT_REPLY_BYTES = 256 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;
const CERT_SUFFIX = '-cert-v01@openssh.com';

export type AgentErrorCode = 'no-agent' | 'unreachable' | 'refused' | 'timeout' | 'protocol';

/** A plain-language failure talking to the ssh-agent. */
export class AgentError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}

export interface AgentIdentity {
  /** The key blob as the agent stores it; for certificates, the certificate blob. */
  keyBlob: Buffer;
  comment: string;
  isCertificate: boolean;
  /** The blob's type name, e.g. `ssh-ed25519-cert-v01@openssh.com`. */
  type: string;
}

export interface AddCertificateIdentityOptions {
  /** Unencrypted PKCS#8, PKCS#1, SEC1 PEM or OpenSSH private key. */
  privateKeyPem: string;
  /** The certificate line (`type-cert-v01@openssh.com base64 [comment]`). */
  certificate: string;
  /** Shown by `ssh-add -l`; OneHop uses `onehop:<site>:<user>`. */
  comment: string;
  /** The agent forgets the key after this many seconds (1 .. 2^32-1). */
  lifetimeSeconds?: number;
  /** The agent asks the user (ssh-askpass) before each use. */
  confirm?: boolean;
}

export interface AgentClientOptions {
  /** The agent socket (or Windows named pipe); defaults to `SSH_AUTH_SOCK` from `env`. */
  socketPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

export interface AgentClient {
  readonly socketPath: string;
  addCertificateIdentity(options: AddCertificateIdentityOptions): Promise<void>;
  listIdentities(): Promise<AgentIdentity[]>;
  /** False when the agent did not hold this key (for instance its lifetime ran out). */
  removeIdentity(keyBlob: Uint8Array): Promise<boolean>;
  /** Removes every identity whose comment starts with `prefix`; returns how many went. */
  removeByCommentPrefix(prefix: string): Promise<number>;
}

/** The agent socket from the environment, or a plain error saying none is running. */
export function agentSocketFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const socketPath = env.SSH_AUTH_SOCK;
  if (socketPath === undefined || socketPath === '') {
    throw new AgentError(
      'no-agent',
      'No ssh-agent is running (SSH_AUTH_SOCK is not set); start one with "eval $(ssh-agent)" ' +
        'or let OneHop write the key and certificate to files instead.',
    );
  }
  return socketPath;
}

export function createAgentClient(options: AgentClientOptions = {}): AgentClient {
  const socketPath = options.socketPath ?? agentSocketFromEnv(options.env);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let queue: Promise<unknown> = Promise.resolve();

  // One request at a time, even when callers do not wait for each other.
  function request(message: Buffer): Promise<Buffer> {
    const next = queue.then(
      () => exchange(socketPath, message, timeoutMs),
      () => exchange(socketPath, message, timeoutMs),
    );
    queue = next.catch(() => undefined);
    return next;
  }

  async function listIdentities(): Promise<AgentIdentity[]> {
    const reply = await request(Buffer.of(SSH2_AGENTC_REQUEST_IDENTITIES));
    return parseIdentities(reply);
  }

  async function removeIdentity(keyBlob: Uint8Array): Promise<boolean> {
    const message = new SshWriter()
      .raw(Buffer.of(SSH2_AGENTC_REMOVE_IDENTITY))
      .bytes(keyBlob)
      .toBuffer();
    return isSuccess(await request(message), 'remove an identity');
  }

  return {
    socketPath,
    async addCertificateIdentity(add) {
      const message = encodeAddCertificate(add);
      if (!isSuccess(await request(message), 'add a key')) {
        const constraints = add.lifetimeSeconds !== undefined || add.confirm === true;
        throw new AgentError(
          'refused',
          `The ssh-agent refused the key: "${add.comment}" was not added` +
            (constraints
              ? ' (the agent may not support certificates or lifetime/confirm constraints).'
              : ' (the agent may not support this certificate type).'),
        );
      }
    },
    listIdentities,
    removeIdentity,
    async removeByCommentPrefix(prefix) {
      let removed = 0;
      for (const identity of await listIdentities()) {
        if (!identity.comment.startsWith(prefix)) continue;
        // A failure here means the key already went (lifetime); that is what we wanted.
        if (await removeIdentity(identity.keyBlob)) removed++;
      }
      return removed;
    },
  };
}

function isSuccess(reply: Buffer, action: string): boolean {
  const type = reply[0];
  if (type === SSH_AGENT_SUCCESS) return true;
  if (type === SSH_AGENT_FAILURE || (type !== undefined && OTHER_FAILURES.has(type))) return false;
  throw new AgentError(
    'protocol',
    `The ssh-agent gave an unexpected answer (message ${String(type)}) when asked to ${action}.`,
  );
}

function parseIdentities(reply: Buffer): AgentIdentity[] {
  if (reply[0] !== SSH2_AGENT_IDENTITIES_ANSWER) {
    throw new AgentError(
      'protocol',
      `The ssh-agent did not list its keys (it answered message ${String(reply[0])}).`,
    );
  }
  try {
    const reader = new SshReader(reply.subarray(1), 'ssh-agent key list');
    const count = reader.uint32('the number of keys');
    // Each entry takes at least 8 bytes: refuse counts the reply cannot hold before looping.
    if (count * 8 > reader.remaining) {
      throw new AgentError('protocol', 'The ssh-agent sent a key list that is cut short.');
    }
    const identities: AgentIdentity[] = [];
    for (let i = 0; i < count; i++) {
      const keyBlob = Buffer.from(reader.bytes('a key blob'));
      const comment = reader.bytes('a key comment').toString('utf8');
      const type = new SshReader(keyBlob, 'ssh-agent key').text('the key type');
      identities.push({ keyBlob, comment, type, isCertificate: type.endsWith(CERT_SUFFIX) });
    }
    reader.end();
    return identities;
  } catch (error) {
    if (error instanceof AgentError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AgentError('protocol', `The ssh-agent sent a malformed key list (${reason})`);
  }
}

function jwkBytes(jwk: JsonWebKey, name: 'd' | 'x' | 'p' | 'q' | 'qi'): Buffer {
  const value = jwk[name];
  if (typeof value !== 'string') throw new Error(`The private key has no JWK field "${name}".`);
  return Buffer.from(value, 'base64url');
}

/** The private half in the agent's layout for `<type>-cert-v01` (PROTOCOL.agent, ssh2.md §4). */
function writePrivatePart(writer: SshWriter, privateKey: KeyObject): void {
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    const publicKey = jwkBytes(jwk, 'x');
    writer.bytes(publicKey).bytes(Buffer.concat([jwkBytes(jwk, 'd'), publicKey]));
  } else if (jwk.kty === 'RSA') {
    writer
      .mpint(jwkBytes(jwk, 'd'))
      .mpint(jwkBytes(jwk, 'qi'))
      .mpint(jwkBytes(jwk, 'p'))
      .mpint(jwkBytes(jwk, 'q'));
  } else if (jwk.kty === 'EC') {
    writer.mpint(jwkBytes(jwk, 'd'));
  } else {
    throw new Error(
      `Keys of type ${String(privateKey.asymmetricKeyType)} cannot go into an agent.`,
    );
  }
}

function encodeAddCertificate(add: AddCertificateIdentityOptions): Buffer {
  const parsed = parsePrivateKey(add.privateKeyPem, 'to add to the ssh-agent');
  const cert = parseCertificateLine(add.certificate);
  if (!certificateMatchesKey(cert, parsed.publicKey)) {
    throw new Error('The certificate was issued for a different key than the one being added.');
  }
  const { lifetimeSeconds, confirm = false } = add;
  if (
    lifetimeSeconds !== undefined &&
    (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds < 1 || lifetimeSeconds > 0xffff_ffff)
  ) {
    throw new RangeError(
      `A key lifetime of ${lifetimeSeconds} seconds is not possible; use a whole number from 1.`,
    );
  }
  const constrained = lifetimeSeconds !== undefined || confirm;
  const writer = new SshWriter()
    .raw(Buffer.of(constrained ? SSH2_AGENTC_ADD_ID_CONSTRAINED : SSH2_AGENTC_ADD_IDENTITY))
    .bytes(cert.certType)
    .bytes(cert.blob);
  writePrivatePart(writer, parsed.privateKey);
  writer.bytes(add.comment);
  if (lifetimeSeconds !== undefined) {
    writer.raw(Buffer.of(SSH_AGENT_CONSTRAIN_LIFETIME)).uint32(lifetimeSeconds);
  }
  if (confirm) writer.raw(Buffer.of(SSH_AGENT_CONSTRAIN_CONFIRM));
  return writer.toBuffer();
}

/** Sends one framed message on a fresh connection and returns the framed reply's body. */
function exchange(socketPath: string, message: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path: socketPath });
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (error: AgentError | null, body?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(body ?? Buffer.alloc(0));
    };
    const timer = setTimeout(() => {
      finish(
        new AgentError(
          'timeout',
          `The ssh-agent at ${socketPath} did not answer within ${Math.round(timeoutMs / 1000)} s; restart the agent.`,
        ),
      );
    }, timeoutMs);

    socket.once('connect', () => {
      const frame = Buffer.alloc(4);
      frame.writeUInt32BE(message.length, 0);
      socket.write(Buffer.concat([frame, message]));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < 4) return;
      const head = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const length = head.readUInt32BE(0);
      if (length === 0 || length > MAX_AGENT_REPLY_BYTES) {
        finish(
          new AgentError(
            'protocol',
            `The ssh-agent sent a reply of ${length} bytes; that is not valid.`,
          ),
        );
        return;
      }
      if (received < 4 + length) return;
      finish(null, Buffer.concat(chunks).subarray(4, 4 + length));
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      finish(
        new AgentError(
          'unreachable',
          `The ssh-agent at ${socketPath} cannot be reached (${error.code ?? error.message}); ` +
            'start the agent again or correct SSH_AUTH_SOCK.',
        ),
      );
    });
    socket.on('close', () => {
      finish(
        new AgentError(
          'protocol',
          `The ssh-agent at ${socketPath} closed the connection before answering.`,
        ),
      );
    });
  });
}
