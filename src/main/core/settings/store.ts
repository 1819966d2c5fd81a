/**
 * The settings file (`<dataDir>/settings.json`): read through migrations and the schema, written
 * atomically by `conf` (write to a temp file, then rename), mode 0600.
 *
 * A file that cannot be parsed or violates the schema is never reset silently: it is moved aside
 * to `settings.json.corrupt-<timestamp>` and a notice tells the user where it went.
 */
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { z } from 'zod';
import { SETTINGS_VERSION, SettingsSchema, type Settings } from '../../../shared/model/settings';
import { ContractError, describeZodError, type Notice } from '../../../shared/contract';
import { migrate, NewerSettingsError, type JsonObject } from './migrations';

export const SETTINGS_FILE = 'settings.json';

/** The on-disk JSON Schema, derived from the zod model so the two cannot drift. */
export const settingsJsonSchema = withoutMetaSchema(
  z.toJSONSchema(SettingsSchema, { io: 'input', target: 'draft-07' }),
);

/** conf's Ajv knows the draft-07 meta-schema by its own id only; the `$schema` key adds nothing. */
function withoutMetaSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _metaSchema, ...rest } = schema;
  return rest;
}

/** Thrown by `deserialize` so `open` can tell a broken file from an unreadable directory. */
class UnreadableSettingsError extends Error {}

export class SettingsStore {
  readonly file: string;
  readonly #conf: Conf<Settings>;
  readonly #notices: Notice[];

  private constructor(
    readonly dir: string,
    conf: Conf<Settings>,
    notices: Notice[],
  ) {
    this.#conf = conf;
    this.file = conf.path;
    this.#notices = notices;
  }

  /** Opens (creating if needed) the settings in `dir`; throws a `storage` ContractError. */
  static open(dir: string, now: () => Date = () => new Date()): SettingsStore {
    ensureWritableDirectory(dir);
    const notices: Notice[] = [];
    try {
      return new SettingsStore(dir, openConf(dir), notices);
    } catch (error) {
      if (error instanceof NewerSettingsError) {
        throw new ContractError({ code: 'storage', message: error.message });
      }
      if (!(error instanceof UnreadableSettingsError)) throw storageError(dir, error);
      const file = path.join(dir, SETTINGS_FILE);
      const aside = `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
      try {
        fs.renameSync(file, aside);
      } catch (renameError) {
        throw storageError(dir, renameError);
      }
      notices.push({
        id: `settings-recovered-${path.basename(aside)}`,
        level: 'warning',
        title: 'Your settings file could not be read',
        message: `${error.message} It was moved to ${aside} and OneHop started with empty settings. Nothing was deleted: repair that file and move it back to ${file} to restore it.`,
      });
      return new SettingsStore(dir, openConf(dir), notices);
    }
  }

  /** conf re-reads the file on every access, so changes by another process (CLI, app) show. */
  get(): Settings {
    let stored: Settings;
    try {
      stored = this.#conf.store;
    } catch (error) {
      // The file was broken or replaced by a newer OneHop after it was opened: tell the user,
      // do not report it as a bug, and leave the file alone.
      if (error instanceof UnreadableSettingsError || error instanceof NewerSettingsError) {
        throw new ContractError({
          code: 'storage',
          message: `${error.message} Repair ${this.file} or move it away, then try again.`,
        });
      }
      throw storageError(this.dir, error);
    }
    // conf answers `{}` when the file was deleted meanwhile: that is empty settings, not a bug.
    return Object.keys(stored).length === 0 ? emptySettings() : stored;
  }

  /**
   * Applies `change` to a copy of the settings, validates the result and writes it atomically.
   * Invalid results are refused with per-field messages; the file is left as it was.
   */
  update(change: (draft: Settings) => Settings | void): Settings {
    const draft = structuredClone(this.get());
    const proposed = change(draft) ?? draft;
    const parsed = SettingsSchema.safeParse(proposed);
    if (!parsed.success) throw new ContractError(describeZodError(parsed.error, 'settings'));
    try {
      this.#conf.store = parsed.data;
    } catch (error) {
      throw storageError(this.dir, error);
    }
    return parsed.data;
  }

  notices(): readonly Notice[] {
    return this.#notices;
  }

  /** Keeps a notice for windows opened later (replacing one with the same id). */
  addNotice(notice: Notice): void {
    this.dismissNotice(notice.id);
    this.#notices.push(notice);
  }

  dismissNotice(id: string): boolean {
    const index = this.#notices.findIndex((notice) => notice.id === id);
    if (index < 0) return false;
    this.#notices.splice(index, 1);
    return true;
  }
}

function openConf(dir: string): Conf<Settings> {
  const conf = new Conf<Settings>({
    cwd: dir,
    configName: 'settings',
    fileExtension: 'json',
    configFileMode: 0o600,
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    rootSchema: settingsJsonSchema,
    ajvOptions: { strict: false },
    defaults: emptySettings(),
    serialize: (value) => `${JSON.stringify(value, undefined, 2)}\n`,
    deserialize: parseSettingsText,
  });
  // conf reads lazily; read once now so a broken file is found at start, not mid-session.
  void conf.store;
  return conf;
}

function emptySettings(): Settings {
  return SettingsSchema.parse({ version: SETTINGS_VERSION });
}

/** Text → migrated, validated settings; throws `UnreadableSettingsError` with a plain reason. */
export function parseSettingsText(text: string): Settings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new UnreadableSettingsError(`settings.json is not valid JSON (${detail}).`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UnreadableSettingsError('settings.json does not hold a JSON object.');
  }
  let migrated: JsonObject;
  try {
    migrated = migrate(json as JsonObject);
  } catch (error) {
    if (error instanceof NewerSettingsError) throw error;
    throw new UnreadableSettingsError(
      `settings.json could not be upgraded: ${(error as Error).message}.`,
    );
  }
  const parsed = SettingsSchema.safeParse(migrated);
  if (!parsed.success) {
    throw new UnreadableSettingsError(describeZodError(parsed.error, 'settings.json').message);
  }
  return parsed.data;
}

function ensureWritableDirectory(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!fs.statSync(dir).isDirectory())
      throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.R_OK);
  } catch (error) {
    throw storageError(dir, error);
  }
}

const plainReasons: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a file stands where a directory should be',
  EEXIST: 'a file stands where a directory should be',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
};

/** File-system failures become a plain `storage` error; anything else is a bug and is rethrown. */
function storageError(dir: string, error: unknown): ContractError {
  if (error instanceof ContractError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') throw error;
  const reason = plainReasons[code] ?? (error instanceof Error ? error.message : String(error));
  return new ContractError({
    code: 'storage',
    message: `OneHop cannot use its data directory ${dir}: ${reason}. Choose a writable directory with ONEHOP_HOME.`,
  });
}
