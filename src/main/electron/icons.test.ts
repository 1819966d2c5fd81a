import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRAY_STATES, iconsDirectory, trayIconPath, windowIconPath } from './icons';

const repoIcons = path.resolve(__dirname, '..', '..', '..', 'assets', 'icons');

describe('icons', () => {
  it('finds assets/icons from the built main in a checkout, and resources/icons when packaged', () => {
    const mainDir = path.resolve(__dirname, '..', '..', '..', 'out', 'main');
    expect(iconsDirectory({ isPackaged: false, resourcesPath: '/x', mainDir })).toBe(repoIcons);
    expect(
      iconsDirectory({ isPackaged: true, resourcesPath: '/opt/OneHop/resources', mainDir }),
    ).toBe(path.join('/opt/OneHop/resources', 'icons'));
  });

  it('uses template images on macOS, ICOs on Windows and PNGs on Linux', () => {
    expect(path.basename(trayIconPath(repoIcons, 'darwin', 'expiring'))).toBe(
      'tray-expiringTemplate.png',
    );
    expect(path.basename(trayIconPath(repoIcons, 'win32', 'expired'))).toBe('tray-expired.ico');
    expect(path.basename(trayIconPath(repoIcons, 'linux', 'valid'))).toBe('tray-valid-24.png');
  });

  it('points at files that exist for every platform and state', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const state of TRAY_STATES) {
        expect(
          fs.existsSync(trayIconPath(repoIcons, platform, state)),
          `${platform} ${state}`,
        ).toBe(true);
      }
    }
    expect(fs.existsSync(windowIconPath(repoIcons))).toBe(true);
  });
});
