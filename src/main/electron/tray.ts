/**
 * The tray (menu bar on macOS) icon: its image and tooltip show the sign-in state, and its menu
 * opens the window or quits. The sign-in issue drives it through `setTrayState` (state plus a
 * tooltip such as "Signed in, 7 h 12 min left").
 */
import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import { trayIconPath, type TrayState } from './icons';

interface TrayOptions {
  iconsDir: string;
  onOpen: () => void;
  onQuit: () => void;
  log: (message: string) => void;
}

let tray: Tray | null = null;
let options: TrayOptions | null = null;

/** Creates the tray icon; returns false when the platform refused (the app then works without). */
export function createTray(trayOptions: TrayOptions): boolean {
  options = trayOptions;
  try {
    tray = new Tray(loadImage('signed-out'));
  } catch (error) {
    trayOptions.log(
      `onehop: no tray icon: ${error instanceof Error ? error.message : String(error)}`,
    );
    tray = null;
    return false;
  }
  // Windows and some Linux panels report clicks; macOS opens the menu on click by itself.
  if (process.platform !== 'darwin') tray.on('click', () => trayOptions.onOpen());
  setTrayState('signed-out', 'OneHop: signed out');
  return true;
}

export function hasTray(): boolean {
  return tray !== null && !tray.isDestroyed();
}

/** Shows a sign-in state: the icon, the tooltip, and the same text atop the menu (Linux panels show no tooltips). */
export function setTrayState(state: TrayState, tooltip: string): void {
  if (!tray || tray.isDestroyed() || !options) return;
  const { onOpen, onQuit } = options;
  tray.setImage(loadImage(state));
  tray.setToolTip(tooltip);
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: tooltip, enabled: false },
      { type: 'separator' },
      { label: 'Open OneHop', click: () => onOpen() },
      { type: 'separator' },
      { label: 'Quit', click: () => onQuit() },
    ]),
  );
}

export function destroyTray(): void {
  if (tray && !tray.isDestroyed()) tray.destroy();
  tray = null;
}

function loadImage(state: TrayState): NativeImage {
  const file = trayIconPath(options?.iconsDir ?? '', process.platform, state);
  const image = nativeImage.createFromPath(file);
  if (image.isEmpty()) options?.log(`onehop: tray icon missing: ${file}`);
  // Template images are black + alpha; macOS recolours them for light and dark menu bars.
  if (process.platform === 'darwin') image.setTemplateImage(true);
  return image;
}
