import { describe, expect, it } from 'vitest';
import { translateForwardError, translateSshError } from './errors';

const jump = { host: 'jump.example.int', port: 3023, hop: 'jump' as const };
const target = { host: 'hpc-login', port: 22 };

function channelError(message: string, reason?: number): Error {
  return Object.assign(new Error(message), reason === undefined ? {} : { reason });
}

describe('plain-language SSH errors', () => {
  it('says a host is not registered behind the Teleport proxy', () => {
    const error = translateForwardError(
      channelError('direct dialing to nodes not found in inventory is not supported', 2),
      jump,
      target,
    );
    expect(error.message).toMatch(/hpc-login:22 is not registered behind the Teleport proxy/);
  });
  it('tells forwarding refused by policy from a refused connection', () => {
    expect(
      translateForwardError(channelError('Administratively prohibited', 1), jump, target).code,
    ).toBe('forwarding-refused');
    expect(
      translateForwardError(channelError('Connection refused', 2), jump, target).message,
    ).toMatch(/could not connect to hpc-login:22/);
  });
  it('names a key exchange signature that does not verify as a possible interception', () => {
    const error = translateSshError(
      new Error('Handshake failed: signature verification failed'),
      jump,
    );
    expect(error.code).toBe('host-key-rejected');
    expect(error.message).toMatch(/intercepting/);
  });
  it('names an unreachable proxy', () => {
    const error = translateSshError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      jump,
    );
    expect(error.message).toMatch(
      /^Could not connect to the jump host jump\.example\.int:3023: it refused the connection/,
    );
  });
});
