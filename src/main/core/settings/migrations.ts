/**
 * Settings migrations, keyed by the version they upgrade *from*. Version 1 is the first format;
 * when the format changes, bump SETTINGS_VERSION and add `1: (doc) => …` here. Migrations take
 * and return plain JSON so they never depend on today's types.
 */
import { SETTINGS_VERSION } from '../../../shared/model/settings';

export type JsonObject = Record<string, unknown>;
export type Migration = (document: JsonObject) => JsonObject;

export const migrations: Record<number, Migration> = {};

export class NewerSettingsError extends Error {
  constructor(readonly found: number) {
    super(
      `settings.json was written by a newer OneHop (format ${found}); this version understands format ${SETTINGS_VERSION}. Update OneHop to use these settings.`,
    );
  }
}

/** Upgrade `document` step by step to `target`; a document without a version is version 1. */
export function migrate(
  document: JsonObject,
  table: Record<number, Migration> = migrations,
  target: number = SETTINGS_VERSION,
): JsonObject {
  let current = document;
  // A hand-written file without "version" is the first format; any other non-number is damage.
  let version = current.version === undefined ? 1 : current.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new Error(
      `"version" must be a whole number from 1 up, found ${JSON.stringify(current.version)}`,
    );
  }
  if (version > target) throw new NewerSettingsError(version);
  while (version < target) {
    const step = table[version];
    if (!step) throw new Error(`no migration from settings format ${version} to ${version + 1}`);
    current = { ...step(current), version: version + 1 };
    version += 1;
  }
  return { ...current, version };
}
