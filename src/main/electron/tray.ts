/**
 * The tray (menu bar on macOS) icon: its image, tooltip and title show the sign-in state, and its
 * menu has a line and a Renew / Sign in item per site, a checkbox per tunnel profile, Open OneHop
 * and Quit. `signinTray.ts` drives it through `setTrayState` and `tunnelsTray.ts` through
 * `setTrayTunnels`, with models from `trayModel.ts`.
 */
import {
  Menu,
  Tray,
  nativeImage,
  type MenuItemConstructorOptions,
  type NativeImage,
} from 'electron';
import { trayIconPath, type TrayState } from './icons';
import { sameTunnelItems, type TrayModel, type TrayTunnelItem } from './trayModel';

interface TrayOptions {
  iconsDir: string;
  onOpen: () => void;
  onQuit: () => void;
  /** Renew or sign in to a site (from its menu item). */
  onSignIn?: (site: string) => void;
  /** Start (`run` true) or stop a tunnel profile (from its checkbox). */
  onToggleTunnel?: (name: string, run: boolean) => void;
  log: (message: string) => void;
}

let tray: Tray | null = null;
let options: TrayOptions | null = null;
let shownState: TrayState | null = null;
let signInModel: TrayModel | null = null;
let tunnelItems: TrayTunnelItem[] = [];

/** Creates the tray icon; returns false when the platform refused (the app then works without). */
export function createTray(trayOptions: TrayOptions): boolean {
  options = trayOptions;
  try {
    tray = new Tray(loadImage('signed-out'));
    shownState = 'signed-out';
  } catch (error) {
    trayOptions.log(
      `onehop: no tray icon: ${error instanceof Error ? error.message : String(error)}`,
    );
    tray = null;
    return false;
  }
  // Windows and some Linux panels report clicks; macOS opens the menu on click by itself.
  if (process.platform !== 'darwin') tray.on('click', () => trayOptions.onOpen());
  setTrayState({
    state: 'signed-out',
    tooltip: 'OneHop: signed out',
    lines: [],
    actions: [],
    title: '',
  });
  return true;
}

export function hasTray(): boolean {
  return tray !== null && !tray.isDestroyed();
}

/** Shows the sign-in state: the icon, the tooltip, the macOS title and the menu. */
export function setTrayState(model: TrayModel): void {
  signInModel = model;
  render();
}

/** Shows the tunnel profiles in the menu; a no-op when nothing visible changed. */
export function setTrayTunnels(items: TrayTunnelItem[]): void {
  if (sameTunnelItems(items, tunnelItems)) return;
  tunnelItems = items;
  render();
}

function render(): void {
  const model = signInModel;
  if (!tray || tray.isDestroyed() || !options || !model) return;
  const { onOpen, onQuit, onSignIn, onToggleTunnel } = options;
  if (model.state !== shownState) {
    tray.setImage(loadImage(model.state));
    shownState = model.state;
  }
  tray.setToolTip(model.tooltip);
  if (process.platform === 'darwin') tray.setTitle(model.title);
  // Linux panels show no tooltips, so the same lines head the menu.
  const lines: MenuItemConstructorOptions[] = model.lines.length
    ? model.lines.map((label) => ({ label, enabled: false }))
    : [{ label: model.tooltip, enabled: false }];
  const actions: MenuItemConstructorOptions[] = onSignIn
    ? model.actions.map((action) => ({ label: action.label, click: () => onSignIn(action.site) }))
    : [];
  const tunnels: MenuItemConstructorOptions[] =
    onToggleTunnel && tunnelItems.length
      ? [
          { label: 'Tunnels', enabled: false },
          ...tunnelItems.map((item): MenuItemConstructorOptions => ({
            label: item.label,
            type: 'checkbox',
            checked: item.checked,
            // The state when the menu was built decides: a running tunnel is stopped.
            click: () => {
              onToggleTunnel(item.name, !item.checked);
              // Electron flipped the checkbox already; show the truth until the state event.
              render();
            },
          })),
          { type: 'separator' },
        ]
      : [];
  tray.setContextMenu(
    Menu.buildFromTemplate([
      ...lines,
      { type: 'separator' },
      ...actions,
      ...(actions.length ? [{ type: 'separator' as const }] : []),
      ...tunnels,
      { label: 'Open OneHop', click: () => onOpen() },
      { type: 'separator' },
      { label: 'Quit', click: () => onQuit() },
    ]),
  );
}

export function destroyTray(): void {
  if (tray && !tray.isDestroyed()) tray.destroy();
  tray = null;
  shownState = null;
  signInModel = null;
  tunnelItems = [];
}

function loadImage(state: TrayState): NativeImage {
  const file = trayIconPath(options?.iconsDir ?? '', process.platform, state);
  const image = nativeImage.createFromPath(file);
  if (image.isEmpty()) options?.log(`onehop: tray icon missing: ${file}`);
  // Template images are black + alpha; macOS recolours them for light and dark menu bars.
  if (process.platform === 'darwin') image.setTemplateImage(true);
  return image;
}
