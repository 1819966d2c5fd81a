import { describe, expect, it } from 'vitest';
import type { TunnelProfile } from '../../../shared/model/settings';
import { parseVia, validateTunnelProfile } from './validation';

const socks = (name: string, port: number, bindAddress = '127.0.0.1'): TunnelProfile => ({
  name,
  via: 'alice@ws1',
  autostart: false,
  forwards: [{ kind: 'dynamic', bindAddress, bindPort: port }],
});

describe('parseVia', () => {
  it('reads [login@]host[:port]', () => {
    expect(parseVia('ws1')).toEqual({ host: 'ws1' });
    expect(parseVia('alice@ws1.ecmwf.int:2222')).toEqual({
      login: 'alice',
      host: 'ws1.ecmwf.int',
      port: 2222,
    });
    expect(parseVia('bob@[::1]:22')).toEqual({ login: 'bob', host: '::1', port: 22 });
    expect(parseVia(' 10.0.0.1 ')).toEqual({ host: '10.0.0.1' });
  });

  it('explains what is wrong', () => {
    expect(() => parseVia('')).toThrow(/no host to forward through/);
    expect(() => parseVia('ws1:99999')).toThrow(/port that is not a number between 1 and 65535/);
    expect(() => parseVia('ws1:')).toThrow(/\[login@\]host\[:port\]/);
    expect(() => parseVia('@ws1')).toThrow(/invalid login/);
    expect(() => parseVia('a b')).toThrow(/spaces/);
    expect(() => parseVia('::1')).toThrow(/IPv6 address without \[ \]/);
    expect(() => parseVia('ws_1!')).toThrow(/valid host name/);
  });
});

describe('validateTunnelProfile', () => {
  it('accepts a plain loopback profile and an empty via (not set up yet)', () => {
    expect(validateTunnelProfile(socks('A', 9050), [])).toEqual([]);
    expect(validateTunnelProfile({ ...socks('A', 9050), via: '' }, [])).toEqual([]);
  });

  it('names both profiles that share a bind port', () => {
    const issues = validateTunnelProfile(socks('New', 9050), [socks('ecFlow SOCKS', 9050)]);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field).toBe('forwards.0.bindPort');
    expect(issues[0]?.message).toContain('"New"');
    expect(issues[0]?.message).toContain('"ecFlow SOCKS"');
  });

  it('treats a wildcard as overlapping, distinct addresses as not, and a rename as the same profile', () => {
    expect(
      validateTunnelProfile(socks('B', 9050, '0.0.0.0'), [socks('A', 9050)], {
        allowNetworkBind: true,
      }),
    ).toHaveLength(1);
    expect(validateTunnelProfile(socks('B', 9050, '127.0.0.2'), [socks('A', 9050)])).toEqual([]);
    expect(
      validateTunnelProfile(socks('B', 9050), [socks('A', 9050)], { previousName: 'A' }),
    ).toEqual([]);
    expect(validateTunnelProfile(socks('A', 9050), [socks('A', 9051), socks('C', 1)], {})).toEqual(
      [],
    );
  });

  it('refuses a duplicate name and a port used twice in one profile', () => {
    const profile: TunnelProfile = {
      ...socks('A', 9050),
      forwards: [
        { kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: 9050 },
        { kind: 'local', bindAddress: '127.0.0.1', bindPort: 9050, targetHost: 'x', targetPort: 1 },
      ],
    };
    const issues = validateTunnelProfile(profile, [socks('A', 1234)], { previousName: 'Old' });
    expect(issues.map((i) => i.field)).toEqual(['name', 'forwards.1.bindPort']);
  });

  it('explains privileged ports', () => {
    const [issue] = validateTunnelProfile(socks('A', 80), []);
    expect(issue?.message).toMatch(/privileged port \(below 1024\).*such as 8080/);
  });

  it('refuses a network bind address unless confirmed, with the warning', () => {
    const [issue] = validateTunnelProfile(socks('A', 9050, '0.0.0.0'), []);
    expect(issue?.field).toBe('forwards.0.bindAddress');
    expect(issue?.message).toMatch(/reachable from the network/);
    expect(
      validateTunnelProfile(socks('A', 9050, '0.0.0.0'), [], { allowNetworkBind: true }),
    ).toEqual([]);
    expect(validateTunnelProfile(socks('A', 9050, '::1'), [])).toEqual([]);
    expect(validateTunnelProfile(socks('A', 9050, 'localhost'), [])).toEqual([]);
    expect(validateTunnelProfile(socks('A', 9050, 'myhost'), [])[0]?.message).toMatch(/IP address/);
  });

  it('reports a bad via on the via field', () => {
    const issues = validateTunnelProfile({ ...socks('A', 9050), via: 'a@b@' }, []);
    expect(issues[0]?.field).toBe('via');
  });
});
