/**
 * The main window: hardened webPreferences, geometry restored from the settings (`ui.window`)
 * onto a display that still exists, and saved again (debounced) when the user moves or resizes it.
 */
import { BrowserWindow, screen } from 'electron';
import type { Core } from '../core';
import type { RendererSource } from './policy';
import {
  MIN_SIZE,
  restoreWindowState,
  sameWindowState,
  toSavedWindowState,
  type SavedWindowState,
} from './windowState';

/** Moves and resizes arrive in bursts; write the settings once the burst is over. */
const SAVE_DELAY_MS = 500;

export interface MainWindowOptions {
  core: Core;
  preloadPath: string;
  /** Window icon for Linux and Windows; macOS uses the app bundle's icon. */
  iconPath: string | undefined;
  /** True when closing the window should only hide it (a tray icon exists and we are not quitting). */
  hideOnClose: () => boolean;
  log: (message: string) => void;
}

/** Creates the (hidden) window; it shows itself once `loadRenderer` has painted the page. */
export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const { core, log } = options;
  const saved = await readSavedState(core);
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const { bounds, maximized } = restoreWindowState(
    saved,
    workAreas,
    screen.getPrimaryDisplay().workArea,
  );

  const window = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'OneHop',
    show: false,
    autoHideMenuBar: true,
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });

  window.once('ready-to-show', () => {
    if (maximized) window.maximize();
    window.show();
  });

  rememberState(window, core, saved, log);

  window.on('close', (event) => {
    if (options.hideOnClose()) {
      event.preventDefault();
      window.hide();
    }
  });

  return window;
}

/**
 * Loads our page. Separate from creation so the host knows the window (and so accepts its IPC)
 * before the page's scripts run.
 */
export async function loadRenderer(
  window: BrowserWindow,
  source: RendererSource,
  log: (message: string) => void,
): Promise<void> {
  try {
    if (source.kind === 'dev') await window.loadURL(source.url);
    else await window.loadFile(source.path);
  } catch (error) {
    // Show the (empty) window anyway, so the user is not left with an invisible running app.
    log(
      `onehop: could not load the user interface: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (!window.isDestroyed() && !window.isVisible()) window.show();
  }
}

/** Brings the window to the front, un-minimizing and un-hiding it. */
export function revealWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}

async function readSavedState(core: Core): Promise<SavedWindowState | undefined> {
  const result = await core.dispatcher.dispatch('settings.get', {});
  if (!result.ok) return undefined;
  const { settings } = result.result as { settings: { ui: { window?: SavedWindowState } } };
  return settings.ui.window;
}

function rememberState(
  window: BrowserWindow,
  core: Core,
  initial: SavedWindowState | undefined,
  log: (message: string) => void,
): void {
  let last = initial;
  let timer: NodeJS.Timeout | undefined;

  const saveNow = () => {
    clearTimeout(timer);
    timer = undefined;
    if (window.isDestroyed() || window.isMinimized()) return;
    const state = toSavedWindowState(window.getNormalBounds(), window.isMaximized());
    if (sameWindowState(last, state)) return;
    last = state;
    // ui.update writes synchronously inside dispatch, so a save on close lands before quitting.
    void core.dispatcher.dispatch('ui.update', { window: state }).then((result) => {
      if (!result.ok)
        log(`onehop: could not remember the window position: ${result.error.message}`);
    });
  };
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(saveNow, SAVE_DELAY_MS);
  };

  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('maximize', saveSoon);
  window.on('unmaximize', saveSoon);
  // 'close' runs before the hide-to-tray handler's hide and before a real close.
  window.on('close', saveNow);
  window.on('closed', () => clearTimeout(timer));
}
