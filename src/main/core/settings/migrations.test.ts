import { describe, expect, it, vi } from 'vitest';
import { SETTINGS_VERSION } from '../../../shared/model/settings';
import { migrate, migrations, NewerSettingsError, type JsonObject } from './migrations';

/** A chain 1→2→3: 2 renames `hosts` to `machines`, 3 adds `ui`. */
function chain() {
  const steps: string[] = [];
  const table = {
    1: vi.fn((doc: JsonObject) => {
      steps.push(`1→2 saw version ${String(doc.version)}`);
      const { hosts, ...rest } = doc;
      return { ...rest, machines: hosts };
    }),
    2: vi.fn((doc: JsonObject) => {
      steps.push(`2→3 saw version ${String(doc.version)}`);
      return { ...doc, ui: { theme: 'dark' } };
    }),
  };
  return { table, steps };
}

describe('migrate', () => {
  it('runs the chain step by step, in order, and stamps each version', () => {
    const { table, steps } = chain();
    const result = migrate({ version: 1, hosts: ['h1'] }, table, 3);
    expect(result).toEqual({ version: 3, machines: ['h1'], ui: { theme: 'dark' } });
    expect(steps).toEqual(['1→2 saw version 1', '2→3 saw version 2']);
  });

  it('starts from the document’s own version and treats a missing version as 1', () => {
    const { table, steps } = chain();
    expect(migrate({ version: 2, machines: [] }, table, 3)).toEqual({
      version: 3,
      machines: [],
      ui: { theme: 'dark' },
    });
    expect(steps).toEqual(['2→3 saw version 2']);
    expect(migrate({ hosts: [] }, chain().table, 3)).toMatchObject({ version: 3, machines: [] });
  });

  it('returns a current document unchanged (apart from the version stamp)', () => {
    const { table } = chain();
    expect(migrate({ version: 3, x: 1 }, table, 3)).toEqual({ version: 3, x: 1 });
    expect(table[1]).not.toHaveBeenCalled();
    expect(table[2]).not.toHaveBeenCalled();
  });

  it('refuses a version that is not a whole number instead of guessing', () => {
    for (const version of ['2', 1.5, 0, null]) {
      expect(() => migrate({ version }, chain().table, 3)).toThrow(
        '"version" must be a whole number',
      );
    }
  });

  it('refuses a gap in the chain', () => {
    const { table } = chain();
    expect(() => migrate({ version: 1 }, { 1: table[1] }, 3)).toThrow(
      'no migration from settings format 2 to 3',
    );
    expect(() => migrate({ version: 1 }, { 2: table[2] }, 3)).toThrow(
      'no migration from settings format 1 to 2',
    );
  });

  it('refuses a document from a newer format with NewerSettingsError', () => {
    let caught: unknown;
    try {
      migrate({ version: 4 }, chain().table, 3);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NewerSettingsError);
    expect((caught as NewerSettingsError).found).toBe(4);
  });

  it.each([0, -1, 1.5])('refuses version %s', (version) => {
    expect(() => migrate({ version }, chain().table, 3)).toThrow(/whole number from 1 up/);
  });

  it('has a complete chain up to today’s format', () => {
    expect(migrate({ version: 1 }, migrations, SETTINGS_VERSION)).toEqual({
      version: SETTINGS_VERSION,
    });
  });
});
