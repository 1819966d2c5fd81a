import { describe, expect, it } from 'vitest';
import { TeleportSignInError } from './errors';
import { buildLoginPlan, serverMajor, type LoginPlanOptions } from './loginPlan';
import type { TeleportPing } from './ping';

function ping(overrides: Partial<TeleportPing> = {}): TeleportPing {
  return {
    authType: 'oidc',
    connectors: { oidc: { name: 'keycloak', display: 'Keycloak' } },
    privateKeyPolicy: 'none',
    defaultSessionTtlMs: 12 * 3_600_000,
    proxySsh: {},
    tlsRoutingEnabled: false,
    serverVersion: '16.4.7',
    ...overrides,
  };
}

function refusal(p: TeleportPing, options: LoginPlanOptions = {}): TeleportSignInError {
  try {
    buildLoginPlan(p, options);
  } catch (error) {
    expect(error).toBeInstanceOf(TeleportSignInError);
    return error as TeleportSignInError;
  }
  throw new Error('expected buildLoginPlan to refuse');
}

describe('connector choice', () => {
  it.each(['oidc', 'saml', 'github'] as const)('uses the %s connector the ping names', (type) => {
    const plan = buildLoginPlan(
      ping({ authType: type, connectors: { [type]: { name: `${type}-main`, display: 'Main' } } }),
    );
    expect(plan.connectorType).toBe(type);
    expect(plan.connectorName).toBe(`${type}-main`);
    expect(plan.connectorDisplay).toBe('Main');
  });

  it('lets --connector override the name', () => {
    const plan = buildLoginPlan(ping(), { connector: 'backup-idp' });
    expect(plan.connectorName).toBe('backup-idp');
    expect(plan.connectorType).toBe('oidc');
  });

  it('refuses password login', () => {
    const error = refusal(ping({ authType: 'local', connectors: {} }));
    expect(error.code).toBe('unsupported');
    expect(error.message).toBe(
      'This Teleport proxy uses password login, which is not supported yet; ask your administrators for SSO or use tsh.',
    );
  });

  it('refuses unknown auth types and unnamed connectors', () => {
    expect(refusal(ping({ authType: 'passkey' })).message).toBe(
      'This Teleport proxy uses the sign-in type "passkey", which OneHop does not support; use tsh.',
    );
    expect(refusal(ping({ connectors: {} })).message).toBe(
      'The Teleport proxy did not name its oidc connector; give one with --connector.',
    );
  });

  it('refuses hardware-key policies', () => {
    const error = refusal(ping({ privateKeyPolicy: 'hardware_key_touch' }));
    expect(error.code).toBe('unsupported');
    expect(error.message).toBe(
      'This Teleport cluster requires hardware-backed keys (private_key_policy "hardware_key_touch"), which OneHop does not support; use tsh with your hardware key.',
    );
  });
});

describe('versions, suites and request shape', () => {
  it.each([
    // version, suite, ssh, tls, shared, shape, pkce
    ['13.4.0', undefined, 'rsa-2048', 'rsa-2048', true, 'single-key', false],
    ['16.4.7', undefined, 'rsa-2048', 'rsa-2048', true, 'single-key', false],
    ['16.4.7', 'balanced-v1', 'rsa-2048', 'rsa-2048', true, 'single-key', false],
    ['17.0.0', undefined, 'rsa-2048', 'rsa-2048', true, 'split-keys', true],
    ['17.1.2', 'legacy', 'rsa-2048', 'rsa-2048', true, 'split-keys', true],
    ['17.1.2', 'balanced-v1', 'ed25519', 'ecdsa-p256', false, 'split-keys', true],
    ['17.1.2', 'hsm-v1', 'ed25519', 'ecdsa-p256', false, 'split-keys', true],
    ['18.0.1', 'fips-v1', 'ecdsa-p256', 'ecdsa-p256', false, 'split-keys', true],
    ['v18.2.0-dev', 'balanced-v1', 'ed25519', 'ecdsa-p256', false, 'split-keys', true],
  ] as const)(
    '%s with suite %s → %s SSH, %s TLS',
    (version, suite, ssh, tls, shared, shape, pkce) => {
      const plan = buildLoginPlan(ping({ serverVersion: version, signatureAlgorithmSuite: suite }));
      expect(plan.keys).toMatchObject({ ssh, tls, shared });
      expect(plan.requestShape).toBe(shape);
      expect(plan.pkceVerifier !== undefined).toBe(pkce);
      expect(plan.warnings).toEqual([]);
    },
  );

  it('makes a 43-character base64url PKCE verifier from 32 random bytes', () => {
    const plan = buildLoginPlan(ping({ serverVersion: '18.0.0' }), {
      randomBytes: (size) => Buffer.alloc(size, 0xff),
    });
    expect(plan.pkceVerifier).toBe('_'.repeat(42) + '8');
    expect(buildLoginPlan(ping({ serverVersion: '18.0.0' })).pkceVerifier).toMatch(
      /^[A-Za-z0-9_-]{43}$/,
    );
  });

  it('warns about an unknown suite and falls back to balanced-v1', () => {
    const plan = buildLoginPlan(
      ping({ serverVersion: '18.0.0', signatureAlgorithmSuite: 'balanced-v2' }),
    );
    expect(plan.keys).toEqual({
      suite: 'balanced-v1',
      ssh: 'ed25519',
      tls: 'ecdsa-p256',
      shared: false,
    });
    expect(plan.warnings).toEqual([
      'The Teleport cluster uses the key suite "balanced-v2", which OneHop does not know; trying Ed25519 and ECDSA P-256 keys.',
    ]);
  });

  it('warns about versions outside the tested range', () => {
    expect(buildLoginPlan(ping({ serverVersion: '19.0.0' })).warnings).toEqual([
      'Teleport 19.0.0 is newer than the newest version OneHop was tested with (18); sign-in may still work, but report any problem.',
    ]);
    expect(buildLoginPlan(ping({ serverVersion: '12.4.0' })).warnings).toEqual([
      'Teleport 12.4.0 is older than the oldest version OneHop was tested with (13); sign-in may fail.',
    ]);
  });

  it('refuses an unreadable version', () => {
    expect(refusal(ping({ serverVersion: 'banana' })).message).toBe(
      'The proxy reported a version OneHop cannot read ("banana"); check that the address is a Teleport proxy.',
    );
    expect(serverMajor('17.0.0-alpha.1')).toBe(17);
  });
});

describe('certificate lifetime', () => {
  const HOUR = 3_600_000;

  it.each([
    ['--ttl wins', { defaultSessionTtlMs: 8 * HOUR }, { ttl: '90m' }, 1.5 * HOUR],
    ['--ttl in ms', {}, { ttl: 2 * HOUR }, 2 * HOUR],
    ['ping default', { defaultSessionTtlMs: 8 * HOUR }, {}, 8 * HOUR],
    ['12 h without a default', { defaultSessionTtlMs: undefined }, {}, 12 * HOUR],
    ['the 30 h maximum', {}, { ttl: '30h' }, 30 * HOUR],
    ['the 1 min minimum', {}, { ttl: '1m' }, 60_000],
  ] as const)('%s', (_title, pingPart, options, ms) => {
    const plan = buildLoginPlan(ping(pingPart), options);
    expect(plan.certTtlMs).toBe(ms);
    expect(plan.certTtlNs).toBe(ms * 1e6);
    expect(Number.isSafeInteger(plan.certTtlNs)).toBe(true);
  });

  it('sends 30 h as exactly 1.08e14 ns', () => {
    expect(buildLoginPlan(ping(), { ttl: '30h' }).certTtlNs).toBe(108_000_000_000_000);
    expect(JSON.stringify(108_000_000_000_000)).toBe('108000000000000');
  });

  it('refuses a --ttl outside 1 minute to 30 hours, or unreadable', () => {
    expect(refusal(ping(), { ttl: '30s' }).message).toBe(
      'The sign-in duration 30s is too short; Teleport accepts 1 minute to 30 hours.',
    );
    expect(refusal(ping(), { ttl: '31h' }).message).toBe(
      'The sign-in duration 31h is too long; Teleport accepts 1 minute to 30 hours.',
    );
    const bad = refusal(ping(), { ttl: '12 hours' });
    expect(bad.code).toBe('invalid-input');
    expect(bad.message).toBe(
      'The sign-in duration "12 hours" is not valid; write it like 12h, 90m or 1h30m.',
    );
  });

  it('clamps an out-of-range proxy default with a warning', () => {
    const plan = buildLoginPlan(ping({ defaultSessionTtlMs: 48 * HOUR }));
    expect(plan.certTtlMs).toBe(30 * HOUR);
    expect(plan.warnings).toEqual([
      "The proxy's default session length (48 h) is outside Teleport's 1 minute to 30 hours; asking for 30 h instead.",
    ]);
  });
});
