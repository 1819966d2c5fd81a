import { describe, expect, it } from 'vitest';
import { classifyKeychainError } from './keyringSecretStore';
import { KeychainUnavailableError } from './secretStore';

/** The library's errors as observed on Debian 12 with gnome-keyring (see the integration test). */
function libraryError(...messages: string[]): Error {
  return messages.reduceRight<Error | undefined>(
    (cause, message) => new Error(message, cause ? { cause } : undefined),
    undefined,
  ) as Error;
}

const bus = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' };

describe('classifyKeychainError', () => {
  it('names an unset session bus', () => {
    const error = classifyKeychainError(
      libraryError(
        'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled',
      ),
      {},
      'linux',
    );
    expect(error).toBeInstanceOf(KeychainUnavailableError);
    expect(error.reason).toBe('no-session-bus');
    expect(error.message).toMatch(
      /^No keychain is reachable: no D-Bus session bus \(DBUS_SESSION_BUS_ADDRESS is unset\)/,
    );
  });

  it('names a session bus that does not answer', () => {
    const error = classifyKeychainError(
      libraryError(
        'Platform failure: DBus error: Failed to connect to socket /tmp/x: No such file or directory',
        'Failed to connect to socket /tmp/x: No such file or directory',
      ),
      { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/x' },
      'linux',
    );
    expect(error.reason).toBe('no-session-bus');
    expect(error.message).toContain('the D-Bus session bus at unix:path=/tmp/x does not answer');
  });

  it('names a missing Secret Service provider', () => {
    const error = classifyKeychainError(
      libraryError(
        'Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files',
      ),
      bus,
      'linux',
    );
    expect(error.reason).toBe('no-provider');
    expect(error.message).toMatch(/no Secret Service provider/);
  });

  it('names a locked keyring', () => {
    const error = classifyKeychainError(
      libraryError(
        "Couldn't access platform storage: Secret Service: unlock prompt was dismissed",
        'Secret Service: unlock prompt was dismissed',
      ),
      bus,
      'linux',
    );
    expect(error.reason).toBe('locked');
    expect(error.message).toMatch(/^The keychain is locked/);
  });

  it('names a Secret Service without a default keyring', () => {
    const error = classifyKeychainError(
      libraryError("Couldn't access platform storage: Secret Service: no result found"),
      bus,
      'linux',
    );
    expect(error.reason).toBe('no-keyring');
  });

  it('passes anything else on with the library text', () => {
    const error = classifyKeychainError(libraryError('Ambiguous: 2 entries'), {}, 'darwin');
    expect(error.reason).toBe('other');
    expect(error.message).toMatch(
      /^The macOS Keychain refused the request \(Ambiguous: 2 entries\)/,
    );
  });
});
