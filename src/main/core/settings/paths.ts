import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'OneHop';

/**
 * Where Electron puts `userData` for OneHop on this OS. The core cannot ask Electron, so the CLI
 * and the browser-mode host compute the same directory the app uses; the Electron host passes
 * `app.getPath('userData')` instead.
 */
export function electronUserDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') {
    return path.win32.join(
      env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'),
      PRODUCT_NAME,
    );
  }
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  }
  const configHome = env.XDG_CONFIG_HOME || path.posix.join(home, '.config');
  return path.posix.join(configHome, PRODUCT_NAME);
}

/** `ONEHOP_HOME` wins (tests, CLI, portable installs); otherwise the host's default. */
export function resolveDataDir(
  hostDefault: string = electronUserDataDir(),
  env: NodeJS.ProcessEnv = process.env,
): string {
  const override = env.ONEHOP_HOME?.trim();
  return path.resolve(override ? override : hostDefault);
}
