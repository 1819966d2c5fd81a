/**
 * The credentials vault: per-site private keys, certificates and refresh tokens.
 *
 * Keychain mode: one AES-256-GCM file, `<dir>/vault.bin` (format.ts), whose random 32-byte key
 * lives in the OS keychain (envelope encryption, docs/architecture.md "Data at rest"). Every write
 * replaces the whole file atomically (temp file in the same directory, fsync, rename), mode 0600.
 * Every operation re-reads the file, so a CLI sign-in is seen by a running app and vice versa.
 *
 * Session-only mode (no keychain): everything stays in this process's memory and nothing at all
 * is written to disk — never plaintext, and no ciphertext whose key would be lost anyway.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  InvalidCredentialsError,
  VaultCorruptError,
  VaultKeyMissingError,
  VaultWriteError,
} from './errors';
import { KEY_BYTES, VaultFormatError, sealVaultFile, unsealVaultFile } from './format';
import {
  SiteCredentialsSchema,
  SiteNameSchema,
  VaultContentSchema,
  type SiteCredentials,
  type VaultContent,
} from './model';
import type { SecretStore } from './secretStore';

export const VAULT_FILE = 'vault.bin';
const FILE_MODE = 0o600;
/** Temp files older than this at open time were left by a crash, not by a concurrent writer. */
const STALE_TEMP_MS = 10 * 60_000;
const TEMP_PATTERN = /^\.vault\.bin\.[0-9a-f]+\.tmp$/;

export type VaultMode = 'keychain' | 'session-only';

/** The file operations the vault uses; tests inject failures (a rename that throws = a crash). */
export type VaultFs = Pick<
  typeof nodeFs,
  'open' | 'readFile' | 'rename' | 'rm' | 'mkdir' | 'chmod' | 'stat' | 'readdir'
>;

export interface VaultOptions {
  /** The data directory; the vault file is `<dir>/vault.bin`. */
  dir: string;
  mode: VaultMode;
  /** Required in keychain mode: where the vault key lives. */
  secretStore?: SecretStore;
  /** Keychain account of the key; defaults to vaultKeyAccount(dir). */
  account?: string;
  fs?: VaultFs;
  now?: () => Date;
}

/** One key per data directory, so two ONEHOP_HOMEs (tests, profiles) never share a key. */
export function vaultKeyAccount(dir: string): string {
  const digest = createHash('sha256').update(path.resolve(dir)).digest('hex');
  return `vault-key:${digest.slice(0, 16)}`;
}

interface Backend {
  load(): Promise<VaultContent>;
  save(content: VaultContent): Promise<void>;
}

export class Vault {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly mode: VaultMode,
    /** The vault file (keychain mode) or undefined (session-only). */
    readonly file: string | undefined,
    private readonly backend: Backend,
    private readonly where: string,
  ) {}

  /**
   * Opens the vault. In keychain mode this reads the key (creating it on first use, so a broken
   * keychain shows up now rather than at the end of a sign-in) and decrypts the file once.
   * Throws KeychainUnavailableError, VaultKeyMissingError or VaultCorruptError; the last two are
   * cured by Vault.reset().
   */
  static async open(options: VaultOptions): Promise<Vault> {
    if (options.mode === 'session-only') {
      return new Vault('session-only', undefined, new MemoryBackend(), 'kept in memory only');
    }
    const store = options.secretStore;
    if (!store) throw new TypeError('Vault.open: keychain mode needs a secretStore.');
    const fs = options.fs ?? nodeFs;
    const file = path.join(options.dir, VAULT_FILE);
    const account = options.account ?? vaultKeyAccount(options.dir);

    await fs.mkdir(options.dir, { recursive: true, mode: 0o700 });
    const exists = await fileExists(fs, file);
    let key = await store.get(account);
    if (!key) {
      if (exists) throw new VaultKeyMissingError(file);
      await store.set(account, randomBytes(KEY_BYTES));
      // Read back: if another OneHop process created a key at the same moment, both use the
      // one that won in the keychain.
      key = await store.get(account);
      if (!key) throw new VaultKeyMissingError(file);
    }
    const backend = new FileBackend(fs, options.dir, file, key);
    if (exists) {
      await tightenMode(fs, file);
      await backend.load();
    }
    await removeStaleTemps(fs, options.dir, options.now ?? (() => new Date()));
    return new Vault('keychain', file, backend, `encrypted in ${file}, key in ${store.describe()}`);
  }

  /**
   * Moves an unreadable vault file aside (`vault.bin.unreadable-<timestamp>`) so a fresh one can
   * be created; never deletes it, since a restored keychain could still open it. Returns the new
   * name, or undefined when there was no file.
   */
  static async reset(
    options: Pick<VaultOptions, 'dir' | 'fs' | 'now'>,
  ): Promise<string | undefined> {
    const fs = options.fs ?? nodeFs;
    const file = path.join(options.dir, VAULT_FILE);
    if (!(await fileExists(fs, file))) return undefined;
    const stamp = (options.now ?? (() => new Date()))().toISOString().replace(/[:.]/g, '-');
    const aside = `${file}.unreadable-${stamp}`;
    await fs.rename(file, aside);
    return aside;
  }

  /** For people: where the credentials are kept. */
  describe(): string {
    return this.mode === 'session-only'
      ? 'Credentials are kept in memory until OneHop quits.'
      : `Credentials are ${this.where}.`;
  }

  get(site: string): Promise<SiteCredentials | undefined> {
    return this.exclusive(async () => (await this.backend.load())[site]);
  }

  /** Every site's credentials, from one read of the vault (for status across all sites). */
  entries(): Promise<Readonly<Record<string, SiteCredentials>>> {
    return this.exclusive(() => this.backend.load());
  }

  /** Site names that have credentials, sorted. */
  list(): Promise<string[]> {
    return this.exclusive(async () => Object.keys(await this.backend.load()).sort());
  }

  /** Stores or replaces a site's whole record; either the new record is stored or nothing changes. */
  async put(site: string, credentials: SiteCredentials): Promise<void> {
    const record = validate(site, credentials);
    await this.exclusive(async () => {
      const content = await this.backend.load();
      content[site] = record;
      await this.backend.save(content);
    });
  }

  /** Removes a site's secrets (sign-out). True when there were any. */
  remove(site: string): Promise<boolean> {
    return this.exclusive(async () => {
      const content = await this.backend.load();
      if (!(site in content)) return false;
      delete content[site];
      await this.backend.save(content);
      return true;
    });
  }

  clear(): Promise<void> {
    return this.exclusive(() => this.backend.save({}));
  }

  /** One operation at a time, so two puts in one process never interleave their read-modify-write. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.tail.then(operation, operation);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

function validate(site: string, credentials: SiteCredentials): SiteCredentials {
  const name = SiteNameSchema.safeParse(site);
  if (!name.success) throw new InvalidCredentialsError(site, fieldsOf(name.error, 'site'));
  const record = SiteCredentialsSchema.safeParse(credentials);
  if (!record.success) throw new InvalidCredentialsError(site, fieldsOf(record.error));
  return record.data;
}

function fieldsOf(error: z.ZodError, root = '(record)'): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    fields[issue.path.length ? issue.path.join('.') : root] ??= issue.message;
  }
  return fields;
}

class MemoryBackend implements Backend {
  private content: VaultContent = {};

  load(): Promise<VaultContent> {
    return Promise.resolve(structuredClone(this.content));
  }

  save(content: VaultContent): Promise<void> {
    this.content = structuredClone(content);
    return Promise.resolve();
  }
}

class FileBackend implements Backend {
  constructor(
    private readonly fs: VaultFs,
    private readonly dir: string,
    private readonly file: string,
    private readonly key: Buffer,
  ) {}

  async load(): Promise<VaultContent> {
    let sealed: Buffer;
    try {
      sealed = await this.fs.readFile(this.file);
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
    let plaintext: Buffer;
    try {
      plaintext = unsealVaultFile(this.key, sealed);
    } catch (error) {
      if (error instanceof VaultFormatError) {
        throw new VaultCorruptError(this.file, error.message, { cause: error });
      }
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(plaintext.toString('utf8')) as unknown;
    } catch (error) {
      throw new VaultCorruptError(this.file, 'the decrypted content is not JSON', { cause: error });
    }
    const parsed = VaultContentSchema.safeParse(json);
    if (!parsed.success) {
      const [where, what] = Object.entries(fieldsOf(parsed.error))[0] ?? ['(root)', 'invalid'];
      throw new VaultCorruptError(this.file, `a stored record is malformed: "${where}" ${what}`);
    }
    return parsed.data;
  }

  /** Temp file in the same directory (same file system), 0600, fsync, rename over the old one. */
  async save(content: VaultContent): Promise<void> {
    const sealed = sealVaultFile(this.key, Buffer.from(JSON.stringify(content), 'utf8'));
    const temp = path.join(this.dir, `.${VAULT_FILE}.${randomBytes(6).toString('hex')}.tmp`);
    let created = false;
    try {
      const handle = await this.fs.open(temp, 'wx', FILE_MODE);
      created = true;
      try {
        // The creation mode is already 0600, but a chmod makes it independent of odd umasks/ACLs.
        if (process.platform !== 'win32') await handle.chmod(FILE_MODE);
        await handle.writeFile(sealed);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.fs.rename(temp, this.file);
      created = false;
    } catch (error) {
      if (created) await this.fs.rm(temp, { force: true }).catch(() => undefined);
      throw new VaultWriteError(this.file, error);
    }
    await syncDirectory(this.fs, this.dir);
  }
}

/** Makes the rename durable; not possible on Windows, where a failure is harmless. */
async function syncDirectory(fs: VaultFs, dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is still atomic.
  }
}

/** A vault file copied with a loose mode (backup restore, umask 0) is made private again. */
async function tightenMode(fs: VaultFs, file: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await fs.stat(file);
  if ((mode & 0o077) !== 0) await fs.chmod(file, FILE_MODE);
}

async function removeStaleTemps(fs: VaultFs, dir: string, now: () => Date): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((entry) => TEMP_PATTERN.test(entry))) {
    const temp = path.join(dir, name);
    try {
      const { mtimeMs } = await fs.stat(temp);
      if (now().getTime() - mtimeMs > STALE_TEMP_MS) await fs.rm(temp, { force: true });
    } catch {
      // Gone already (another process finished its write): nothing to clean.
    }
  }
}

async function fileExists(fs: VaultFs, file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}
