import { describe, expect, it } from 'vitest';
import { parseFlatYaml, yamlString } from './yaml';

describe('parseFlatYaml', () => {
  it('reads the profile tsh writes, quoted, empty and commented values included', () => {
    const yaml = parseFlatYaml(
      [
        '# written by tsh',
        'web_proxy_addr: jump.example.int:443',
        "user: 'alice@example.com'",
        'cluster: "example-cluster"   # root',
        'mfa_mode: ""',
        'piv_slot:',
        'tls_routing_enabled: false',
        'dir: ~',
      ].join('\r\n'),
    );
    expect(yaml).toEqual({
      web_proxy_addr: 'jump.example.int:443',
      user: 'alice@example.com',
      cluster: 'example-cluster',
      mfa_mode: '',
      piv_slot: '',
      tls_routing_enabled: 'false',
      dir: '',
    });
  });

  it('reads block and inline lists and skips nested maps', () => {
    const yaml = parseFlatYaml(
      [
        'dynamic_forwarded_ports:',
        '- 8080',
        '  - "9090"',
        'inline: [a, "b c"]',
        'empty: []',
        'nested:',
        '  inner: value',
        '  deeper:',
        '    x: 1',
        'user: bob',
      ].join('\n'),
    );
    expect(yaml).toEqual({
      dynamic_forwarded_ports: ['8080', '9090'],
      inline: ['a', 'b c'],
      empty: [],
      nested: '',
      user: 'bob',
    });
    expect(yamlString(yaml, 'inline')).toBe('');
    expect(yamlString(yaml, 'absent')).toBe('');
  });

  it('keeps # inside quotes and values with colons', () => {
    expect(parseFlatYaml("a: 'x # y'\nb: http://h:1/p#frag\n")).toEqual({
      a: 'x # y',
      b: 'http://h:1/p#frag',
    });
  });
});
