import { describe, expect, it } from 'vitest';
import { checkingKeysByCluster, parseCertAuthorities } from './knownHosts';

// Well-formed Ed25519 public keys (fixed bytes); never used to verify anything.
function ed25519Line(fill: number): string {
  const u32 = (n: number) => Buffer.from([0, 0, 0, n]);
  const blob = Buffer.concat([
    u32(11),
    Buffer.from('ssh-ed25519'),
    u32(32),
    Buffer.alloc(32, fill),
  ]);
  return `ssh-ed25519 ${blob.toString('base64')}`;
}
const KEY_A = ed25519Line(1);
const KEY_B = ed25519Line(2);

describe('parseCertAuthorities', () => {
  it('reads tsh lines, derives the cluster and skips everything else', () => {
    const lines = parseCertAuthorities(
      [
        `@cert-authority jump.example.int,root,*.root ${KEY_A} type=host`,
        `@cert-authority jump.example.int,leaf,*.leaf ${KEY_B} type=host`,
        `@cert-authority *.old ${KEY_B}`,
        `host.example.int ${KEY_A}`,
        '@cert-authority broken ssh-ed25519 AAAA',
        '# comment',
      ].join('\n'),
    );
    expect(lines).toEqual([
      { patterns: ['jump.example.int', 'root', '*.root'], key: KEY_A, clusterName: 'root' },
      { patterns: ['jump.example.int', 'leaf', '*.leaf'], key: KEY_B, clusterName: 'leaf' },
      { patterns: ['*.old'], key: KEY_B, clusterName: 'old' },
    ]);
  });

  it('groups a profile’s keys per cluster, de-duplicated, ignoring other proxies', () => {
    const lines = parseCertAuthorities(
      [
        `@cert-authority jump.example.int,root,*.root ${KEY_A} type=host`,
        `@cert-authority jump.example.int,root,*.root ${KEY_A} type=host`,
        `@cert-authority jump.example.int,leaf,*.leaf ${KEY_B} type=host`,
        `@cert-authority other.example.int,other,*.other ${KEY_B} type=host`,
      ].join('\n'),
    );
    const byCluster = checkingKeysByCluster(lines, {
      proxyHost: 'jump.example.int',
      cluster: 'root',
    });
    expect([...byCluster]).toEqual([
      ['root', [KEY_A]],
      ['leaf', [KEY_B]],
    ]);
  });
});
