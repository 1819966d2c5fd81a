/**
 * The production SecretStore: the OS keychain through `@napi-rs/keyring` (macOS Keychain, Windows
 * Credential Manager, Secret Service on Linux). Every failure becomes a KeychainUnavailableError
 * whose message names the cause in plain words, so the host can offer the session-only mode.
 */
import type { AsyncEntry, EntryOptions } from '@napi-rs/keyring';
import { KeychainUnavailableError, type SecretStore } from './secretStore';

/** The keychain service name every OneHop secret is filed under. */
export const KEYCHAIN_SERVICE = 'OneHop';

export interface KeyringSecretStoreOptions {
  /** Defaults to KEYCHAIN_SERVICE; tests use their own to stay out of the user's entries. */
  service?: string;
  /** Give up after this long (an unlock prompt counts), default 2 minutes. */
  timeoutMs?: number;
  /** For error messages only; defaults to process.env / process.platform. */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

type KeyringModule = typeof import('@napi-rs/keyring');

/**
 * Loads the native library and returns the store. Loading is lazy so that importing the core
 * never fails on a platform without a prebuilt binary; that case becomes an unavailable keychain.
 */
export async function createKeyringSecretStore(
  options: KeyringSecretStoreOptions = {},
): Promise<SecretStore> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  let keyring: KeyringModule;
  try {
    keyring = await import('@napi-rs/keyring');
  } catch (error) {
    throw new KeychainUnavailableError(
      'library',
      `The keychain library could not be loaded on this system (${errorText(error)}); ` +
        'reinstall OneHop for this platform.',
      { cause: error },
    );
  }
  return new KeyringSecretStore(keyring, options.service ?? KEYCHAIN_SERVICE, {
    timeoutMs: options.timeoutMs ?? 120_000,
    env,
    platform,
  });
}

class KeyringSecretStore implements SecretStore {
  constructor(
    private readonly keyring: KeyringModule,
    private readonly service: string,
    private readonly context: {
      timeoutMs: number;
      env: NodeJS.ProcessEnv;
      platform: NodeJS.Platform;
    },
  ) {}

  async get(account: string): Promise<Buffer | undefined> {
    const secret = await this.run(account, (entry, signal) => entry.getSecret(signal));
    return secret ? Buffer.from(secret) : undefined;
  }

  async set(account: string, value: Buffer): Promise<void> {
    await this.run(account, (entry, signal) => entry.setSecret(new Uint8Array(value), signal));
  }

  delete(account: string): Promise<boolean> {
    return this.run(account, (entry, signal) => entry.deleteCredential(signal));
  }

  describe(): string {
    return describeKeychain(this.context.platform);
  }

  private async run<T>(
    account: string,
    operation: (entry: AsyncEntry, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const { timeoutMs, env, platform } = this.context;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new KeychainUnavailableError(
            'timeout',
            `${capitalise(describeKeychain(platform))} did not answer within ` +
              `${Math.round(timeoutMs / 1000)} s; unlock it and try again.`,
          ),
        );
      }, timeoutMs);
    });
    try {
      // The constructor already talks to D-Bus on Linux, so it sits inside the try as well.
      const entry = new this.keyring.AsyncEntry(this.service, account, entryOptions(platform));
      return await Promise.race([operation(entry, controller.signal), timeout]);
    } catch (error) {
      if (error instanceof KeychainUnavailableError) throw error;
      throw classifyKeychainError(error, env, platform);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * On Linux the library falls back to the kernel keyring when the Secret Service is missing; that
 * keyring forgets its keys at logout, which would make the vault unreadable after every reboot.
 * Pinning the Secret Service turns that into an honest "unavailable" instead.
 */
function entryOptions(platform: NodeJS.Platform): EntryOptions | undefined {
  return platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined;
}

function describeKeychain(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'the macOS Keychain';
  if (platform === 'win32') return 'the Windows Credential Manager';
  return 'the Secret Service keyring (D-Bus)';
}

/** Turns a library error into a KeychainUnavailableError with a plain message. */
export function classifyKeychainError(
  error: unknown,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): KeychainUnavailableError {
  const text = errorText(error);
  const make = (
    reason: ConstructorParameters<typeof KeychainUnavailableError>[0],
    message: string,
  ) => new KeychainUnavailableError(reason, message, { cause: error });
  const bus = env.DBUS_SESSION_BUS_ADDRESS;

  if (platform !== 'darwin' && platform !== 'win32') {
    if (bus === undefined || bus === '') {
      return make(
        'no-session-bus',
        'No keychain is reachable: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset); ' +
          'start OneHop from a desktop session, or under dbus-run-session with gnome-keyring running.',
      );
    }
    if (
      /failed to connect to socket|connection refused|no such file or directory|address .* invalid/i.test(
        text,
      )
    ) {
      return make(
        'no-session-bus',
        `No keychain is reachable: the D-Bus session bus at ${bus} does not answer (${text}); ` +
          'start OneHop from a desktop session, or fix DBUS_SESSION_BUS_ADDRESS.',
      );
    }
    if (/org\.freedesktop\.secrets|ServiceUnknown|not provided by any \.service/i.test(text)) {
      return make(
        'no-provider',
        'No keychain is reachable: the D-Bus session has no Secret Service provider ' +
          '(org.freedesktop.secrets); install and start gnome-keyring (or another Secret Service ' +
          'such as KeePassXC) and try again.',
      );
    }
    if (/prompt was dismissed|locked|IsLocked/i.test(text)) {
      return make(
        'locked',
        'The keychain is locked and could not be unlocked (the unlock prompt was dismissed or ' +
          'could not be shown); unlock your login keyring and try again.',
      );
    }
    if (/no result found|no such object|NoSuchObject/i.test(text)) {
      return make(
        'no-keyring',
        'The keychain has no default keyring to keep secrets in; create or unlock a login ' +
          'keyring (for example with Seahorse) and try again.',
      );
    }
  }
  return make(
    'other',
    `${capitalise(describeKeychain(platform))} refused the request (${text}); check that it is ` +
      'unlocked and try again.',
  );
}

/** The message and every nested cause, joined: the interesting part is often the innermost. */
function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const message =
      current instanceof Error
        ? current.message
        : typeof current === 'string'
          ? current
          : JSON.stringify(current);
    if (!parts.some((part) => part.includes(message))) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
