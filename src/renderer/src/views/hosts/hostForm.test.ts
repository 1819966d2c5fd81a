import { describe, expect, it } from 'vitest';
import type { Host } from '../../../../shared/model/settings';
import { draftOf, fieldErrorsOf, parseDraft, updateRequest } from './hostForm';

const host: Host = {
  name: 'hpc-login',
  hostName: 'hpc-login.example.org',
  port: 2222,
  login: 'alice',
  site: 'ecmwf',
  route: 'jump',
  favourite: true,
};

describe('host form', () => {
  it('round-trips a saved host through the draft', () => {
    const draft = draftOf(host, undefined);
    expect(draft).toMatchObject({ port: '2222', login: 'alice', site: 'ecmwf' });
    expect(parseDraft(draft)).toEqual({
      ok: true,
      host: {
        name: 'hpc-login',
        hostName: 'hpc-login.example.org',
        port: 2222,
        login: 'alice',
        site: 'ecmwf',
        route: 'jump',
      },
    });
  });

  it('leaves out what the user left empty', () => {
    const draft = { ...draftOf(null, undefined), name: ' n1 ', hostName: ' 10.0.0.1 ' };
    expect(parseDraft(draft)).toEqual({
      ok: true,
      host: { name: 'n1', hostName: '10.0.0.1', route: 'jump' },
    });
    expect(draftOf(null, 'ecmwf').site).toBe('ecmwf');
  });

  it('refuses a port that is not a number in range', () => {
    for (const port of ['abc', '0', '70000', '22.5', '-1']) {
      const parsed = parseDraft({ ...draftOf(host, undefined), port });
      expect(parsed).toMatchObject({ ok: false, fields: { port: expect.any(String) as string } });
    }
  });

  it('keeps the favourite flag and the old name on update', () => {
    const parsed = parseDraft({ ...draftOf(host, undefined), name: 'renamed', port: '' });
    if (!parsed.ok) throw new Error('expected a valid draft');
    expect(updateRequest(host, parsed.host)).toEqual({
      name: 'hpc-login',
      host: {
        name: 'renamed',
        hostName: 'hpc-login.example.org',
        port: 22,
        login: 'alice',
        site: 'ecmwf',
        route: 'jump',
        favourite: true,
      },
    });
  });

  it('maps the core field paths onto the form fields', () => {
    expect(fieldErrorsOf({ 'host.hostName': 'must not be empty', name: 'Taken.' })).toEqual({
      hostName: 'Must not be empty.',
      name: 'Taken.',
    });
    expect(fieldErrorsOf(undefined)).toEqual({});
  });
});
