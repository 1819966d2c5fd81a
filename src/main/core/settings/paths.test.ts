import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronUserDataDir, resolveDataDir } from './paths';

describe('resolveDataDir', () => {
  it('uses ONEHOP_HOME when set, resolved to an absolute path', () => {
    expect(resolveDataDir('/default', { ONEHOP_HOME: '/srv/onehop' })).toBe('/srv/onehop');
    expect(resolveDataDir('/default', { ONEHOP_HOME: 'rel/dir' })).toBe(
      path.resolve(process.cwd(), 'rel/dir'),
    );
    expect(resolveDataDir('/default', { ONEHOP_HOME: '  /padded  ' })).toBe('/padded');
  });

  it('falls back to the host default when ONEHOP_HOME is unset or blank', () => {
    expect(resolveDataDir('/default', {})).toBe('/default');
    expect(resolveDataDir('/default', { ONEHOP_HOME: '' })).toBe('/default');
    expect(resolveDataDir('/default', { ONEHOP_HOME: '   ' })).toBe('/default');
  });
});

describe('electronUserDataDir', () => {
  it('linux: $XDG_CONFIG_HOME/OneHop, else ~/.config/OneHop', () => {
    expect(electronUserDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ann')).toBe(
      '/xdg/OneHop',
    );
    expect(electronUserDataDir('linux', {}, '/home/ann')).toBe('/home/ann/.config/OneHop');
    expect(electronUserDataDir('linux', { XDG_CONFIG_HOME: '' }, '/home/ann')).toBe(
      '/home/ann/.config/OneHop',
    );
  });

  it('darwin: ~/Library/Application Support/OneHop, whatever XDG says', () => {
    expect(electronUserDataDir('darwin', { XDG_CONFIG_HOME: '/xdg' }, '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/OneHop',
    );
  });

  it('win32: %APPDATA%\\OneHop, else <home>\\AppData\\Roaming\\OneHop', () => {
    expect(
      electronUserDataDir(
        'win32',
        { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' },
        'C:\\Users\\ann',
      ),
    ).toBe('C:\\Users\\ann\\AppData\\Roaming\\OneHop');
    expect(electronUserDataDir('win32', {}, 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\OneHop',
    );
    // An empty %APPDATA% must not turn into a relative path.
    expect(electronUserDataDir('win32', { APPDATA: '' }, 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\OneHop',
    );
  });
});
