import { describe, expect, it } from 'vitest';
import { TunnelProfileSchema, type TunnelProfile } from '../../../../shared/model/settings';
import {
  draftOf,
  fieldErrorsOf,
  joinArgs,
  networkBindWarnings,
  newForward,
  parseDraft,
  parseEnv,
  splitArgs,
} from './tunnelForm';

const profile: TunnelProfile = TunnelProfileSchema.parse({
  name: 'ecFlow SOCKS',
  site: 'ecmwf',
  via: 'alice@workstation1',
  autostart: true,
  forwards: [
    { kind: 'dynamic', bindPort: 9050 },
    { kind: 'local', bindPort: 4141, targetHost: 'machine1', targetPort: 4141 },
  ],
  launcher: {
    command: 'ecflow_ui',
    args: ['-cmd', 'proxychains4', 'two words', "it's"],
    env: { PROXYCHAINS_QUIET_MODE: '1', EMPTY: '' },
    enabled: true,
  },
});

describe('tunnel form', () => {
  it('round-trips a saved profile through the draft', () => {
    const draft = draftOf(profile, undefined);
    expect(draft.forwards.map((f) => f.bindPort)).toEqual(['9050', '4141']);
    expect(draft.launcher?.args).toBe(`-cmd proxychains4 'two words' 'it'"'"'s'`);
    const parsed = parseDraft(draft);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.fields));
    expect(TunnelProfileSchema.parse(parsed.profile)).toEqual(profile);
  });

  it('starts a new profile with a SOCKS forward on 9050 and the default site', () => {
    const draft = draftOf(null, 'ecmwf');
    expect(draft).toMatchObject({ site: 'ecmwf', via: '', launcher: null });
    expect(draft.forwards).toMatchObject([{ kind: 'dynamic', bindPort: '9050' }]);
  });

  it('trims, defaults the bind address and leaves out an empty site', () => {
    const draft = {
      ...draftOf(null, undefined),
      name: '  Logs ',
      via: ' ws1 ',
      forwards: [
        {
          ...newForward('local', '9316'),
          bindAddress: ' ',
          targetHost: 'logserver',
          targetPort: '9316',
        },
      ],
    };
    expect(parseDraft(draft)).toEqual({
      ok: true,
      profile: {
        name: 'Logs',
        via: 'ws1',
        autostart: false,
        forwards: [
          {
            kind: 'local',
            bindAddress: '127.0.0.1',
            bindPort: 9316,
            targetHost: 'logserver',
            targetPort: 9316,
          },
        ],
      },
    });
  });

  it('names the field of each bad number, the launcher and an empty forward list', () => {
    const draft = draftOf(profile, undefined);
    draft.forwards[0]!.bindPort = 'abc';
    draft.forwards[1]!.targetPort = '70000';
    draft.launcher = { command: ' ', args: '"open', env: 'no equals', enabled: false };
    const parsed = parseDraft(draft);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.fields).sort()).toEqual([
      'forwards.0.bindPort',
      'forwards.1.targetPort',
      'launcher.args',
      'launcher.command',
      'launcher.env',
    ]);
    expect(parseDraft({ ...draftOf(null, undefined), forwards: [] })).toMatchObject({
      ok: false,
      fields: { forwards: 'Add at least one forward.' },
    });
  });

  it('maps the core field paths onto the form fields', () => {
    expect(
      fieldErrorsOf({
        'profile.forwards.1.bindPort': 'Port 80 is a privileged port.',
        'profile.name': 'must not be empty',
      }),
    ).toEqual({
      'forwards.1.bindPort': 'Port 80 is a privileged port.',
      name: 'Must not be empty.',
    });
  });

  it('asks for confirmation only for non-loopback IP bind addresses', () => {
    const draft = draftOf(profile, undefined);
    draft.forwards[0]!.bindAddress = '0.0.0.0';
    draft.forwards[1]!.bindAddress = 'myhost';
    const warnings = networkBindWarnings(draft, {
      'forwards.0.bindAddress': 'reachable from the network',
      'forwards.1.bindAddress': 'must be an IP address',
    });
    expect(warnings).toEqual({ 'forwards.0.bindAddress': 'reachable from the network' });
    draft.forwards[0]!.bindAddress = '127.0.0.2';
    expect(networkBindWarnings(draft, { 'forwards.0.bindAddress': 'x' })).toEqual({});
  });
});

describe('launcher arguments and environment', () => {
  it('splits like a shell and joins back', () => {
    expect(splitArgs(`-cmd proxychains4 "a b" 'c d' e\\ f ""`)).toEqual([
      '-cmd',
      'proxychains4',
      'a b',
      'c d',
      'e f',
      '',
    ]);
    expect(splitArgs('  ')).toEqual([]);
    expect(splitArgs(`'open`)).toBeNull();
    const args = ['{socksPort}', 'x y', '', `q"uote`, '--opt=1'];
    expect(splitArgs(joinArgs(args))).toEqual(args);
  });
  it('reads NAME=value lines', () => {
    expect(parseEnv('A=1\n\n B = x=y \nC=')).toEqual({ A: '1', B: ' x=y', C: '' });
    expect(parseEnv('=1')).toMatch(/^Line 1 /);
  });
});
