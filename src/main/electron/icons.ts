/**
 * Which icon file the host uses on each platform (no `electron` import, so it is unit tested).
 * The files are rendered by scripts/render-icons.js; see that script for the full set.
 */
import path from 'node:path';

export const TRAY_STATES = ['signed-out', 'valid', 'expiring', 'expired'] as const;
export type TrayState = (typeof TRAY_STATES)[number];

/**
 * Where the icons live: `assets/icons` beside the built `out/` in a checkout, and
 * `<resources>/icons` in a packaged app (electron-builder.yml copies them as extraResources,
 * because `files` holds only the built output).
 */
export function iconsDirectory(options: {
  isPackaged: boolean;
  resourcesPath: string;
  mainDir: string;
}): string {
  return options.isPackaged
    ? path.join(options.resourcesPath, 'icons')
    : path.resolve(options.mainDir, '..', '..', 'assets', 'icons');
}

/**
 * The tray image for a state. macOS gets a template image (the system tints it for light and
 * dark menu bars; the `@2x` file next to it is picked up automatically), Windows an ICO with the
 * sizes for 100–200 % scaling, Linux a 24 px PNG (with `@2x`) that panels scale as they like.
 */
export function trayIconPath(
  iconsDir: string,
  platform: NodeJS.Platform,
  state: TrayState,
): string {
  const tray = path.join(iconsDir, 'tray');
  if (platform === 'darwin') return path.join(tray, `tray-${state}Template.png`);
  if (platform === 'win32') return path.join(tray, `tray-${state}.ico`);
  return path.join(tray, `tray-${state}-24.png`);
}

/** The window icon (Linux and Windows title bars and task switchers; macOS uses the bundle's). */
export function windowIconPath(iconsDir: string): string {
  return path.join(iconsDir, 'app', '256x256.png');
}
