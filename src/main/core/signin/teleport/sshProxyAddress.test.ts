import { describe, expect, it } from 'vitest';
import type { TeleportPing } from './ping';
import {
  sshProxyAddress,
  sshProxyExtra,
  sshProxyFromExtra,
  splitHostPort,
} from './sshProxyAddress';

function ping(proxySsh: TeleportPing['proxySsh'], tlsRoutingEnabled = false): TeleportPing {
  return { proxySsh, tlsRoutingEnabled } as TeleportPing;
}
const web = { host: 'jump.example.int', webPort: 443 };

describe('sshProxyAddress (teleport-sso.md §4)', () => {
  it('uses ssh_public_addr, defaulting its port to 3023', () => {
    expect(
      sshProxyAddress(ping({ sshPublicAddr: 'ssh.example.int:22', publicAddr: 'x:443' }), web),
    ).toEqual({ host: 'ssh.example.int', port: 22, tlsRouting: false });
    expect(sshProxyAddress(ping({ sshPublicAddr: 'ssh.example.int' }), web).port).toBe(3023);
  });
  it('falls back to the host of public_addr on 3023, then listen_addr, then the web host', () => {
    expect(sshProxyAddress(ping({ publicAddr: 'pub.example.int:443' }), web)).toEqual({
      host: 'pub.example.int',
      port: 3023,
      tlsRouting: false,
    });
    expect(sshProxyAddress(ping({ listenAddr: '0.0.0.0:3024' }), web)).toEqual({
      host: 'jump.example.int',
      port: 3024,
      tlsRouting: false,
    });
    expect(sshProxyAddress(ping({ webListenAddr: '0.0.0.0:3080' }), web)).toEqual({
      host: 'jump.example.int',
      port: 3023,
      tlsRouting: false,
    });
  });
  it('with TLS routing dials the web port of public_addr', () => {
    expect(
      sshProxyAddress(
        ping({ publicAddr: 'jump.example.int:443', sshPublicAddr: 'x:3023' }, true),
        web,
      ),
    ).toEqual({ host: 'jump.example.int', port: 443, tlsRouting: true });
    expect(sshProxyAddress(ping({}, true), web)).toEqual({
      host: 'jump.example.int',
      port: 443,
      tlsRouting: true,
    });
  });
  it('round-trips through the vault extra strings, IPv6 included', () => {
    const address = { host: '::1', port: 3023, tlsRouting: true };
    expect(sshProxyFromExtra(sshProxyExtra(address))).toEqual(address);
    expect(sshProxyFromExtra(undefined)).toBeUndefined();
    expect(splitHostPort('[::1]:22')).toEqual({ host: '::1', port: 22 });
  });
});
