/**
 * The Electron host: app lifecycle only. It opens the core, wires the window, the tray and the
 * IPC bridge to it, and holds no product logic of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, powerMonitor, shell, type BrowserWindow } from 'electron';
import { createCore, resolveDataDir, type Core } from '../core';
import { iconsDirectory, windowIconPath } from './icons';
import { bindIpc } from './ipc';
import { chooseRendererSource, externalUrlToOpen } from './policy';
import { applySecurityPolicy } from './security';
import { bindSignInTray, signInFromHost } from './signinTray';
import { createTray, destroyTray, hasTray } from './tray';
import { bindTunnelsTray, toggleTunnelFromHost } from './tunnelsTray';
import { createMainWindow, loadRenderer, revealWindow } from './window';

/** Matches `appId` in electron-builder.yml (Windows groups taskbar entries and notifications by it). */
const APP_USER_MODEL_ID = 'int.onehop.app';
/** How long quitting waits for the core to close its connections. */
const CLOSE_TIMEOUT_MS = 5000;

// The built layout is out/main/index.js, out/preload/index.cjs, out/renderer/index.html.
const mainDir = path.dirname(fileURLToPath(import.meta.url));
const preloadPath = path.join(mainDir, '..', 'preload', 'index.cjs');
const rendererFile = path.join(mainDir, '..', 'renderer', 'index.html');

const log = (message: string) => process.stderr.write(`${message}\n`);

let core: Core | null = null;
let mainWindow: BrowserWindow | null = null;
/** Set by start(): creates and loads the window (again, e.g. after macOS closed it). */
let openWindow: (() => Promise<void>) | null = null;
let windowOpening: Promise<void> | null = null;
let quitting = false;
let unbindSignInTray: (() => void) | null = null;
let unbindTunnelsTray: (() => void) | null = null;

app.enableSandbox();

// With ONEHOP_HOME set, Chromium's own data and the single-instance lock live there as well, so
// a test or portable instance never collides with the user's normal one.
const dataDir = resolveDataDir(app.getPath('userData'));
if (dataDir !== path.resolve(app.getPath('userData'))) {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    app.setPath('userData', dataDir);
  } catch {
    // createCore reports an unusable data directory with a plain message once the app is ready.
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another OneHop runs already; it receives 'second-instance' and comes to the front.
  app.quit();
} else {
  app.on('second-instance', () => showMainWindow());
  app.on('activate', () => showMainWindow());
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('window-all-closed', () => {
    // Only reached without a tray (closing otherwise hides the window); macOS apps stay in the dock.
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    if (!core) return;
    // Close the core's resources (connections, tunnels) before the process goes away.
    event.preventDefault();
    const closing = core;
    core = null;
    unbindSignInTray?.();
    unbindSignInTray = null;
    unbindTunnelsTray?.();
    unbindTunnelsTray = null;
    destroyTray();
    // Bounded: a service that hangs while closing must not keep the app from quitting.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
    });
    Promise.race([closing.close(), deadline])
      .catch((error: unknown) => log(`onehop: error while closing: ${String(error)}`))
      .finally(() => {
        clearTimeout(timer);
        app.quit();
      });
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => fail(error));
}

async function start(): Promise<void> {
  let opened: Core;
  try {
    opened = createCore({
      dataDir,
      host: 'electron',
      version: app.getVersion(),
      log,
      openUrl: openExternalWebUrl,
    });
  } catch (error) {
    // Usually an unusable data directory: the core's message says which and what to do.
    fail(error);
    return;
  }
  core = opened;
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  const source = chooseRendererSource(
    process.env.ELECTRON_RENDERER_URL,
    app.isPackaged,
    rendererFile,
  );
  applySecurityPolicy(source);
  bindIpc(opened, () => mainWindow, source);

  const iconsDir = iconsDirectory({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    mainDir,
  });
  createTray({
    iconsDir,
    onOpen: showMainWindow,
    onQuit: () => app.quit(),
    onSignIn: (site) => {
      showMainWindow();
      signInFromHost(opened, site, log);
    },
    onToggleTunnel: (name, run) => toggleTunnelFromHost(opened, name, run, log),
    log,
  });
  unbindSignInTray = bindSignInTray({ core: opened, showWindow: showMainWindow, log });
  unbindTunnelsTray = bindTunnelsTray({ core: opened, showWindow: showMainWindow, log });
  // After sleep or a locked session the network has often changed: tunnels waiting to retry
  // reconnect now instead of at the end of their backoff.
  const reconnectTunnels = () => core?.tunnels.reconnectNow();
  powerMonitor.on('resume', reconnectTunnels);
  powerMonitor.on('unlock-screen', reconnectTunnels);

  openWindow = async () => {
    const window = await createMainWindow({
      core: opened,
      preloadPath,
      iconPath: process.platform === 'darwin' ? undefined : windowIconPath(iconsDir),
      // Hide to the tray only when there is a tray to come back from.
      hideOnClose: () => !quitting && hasTray(),
      log,
    });
    // Known before the page loads, so its first commands pass the sender check.
    mainWindow = window;
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    await loadRenderer(window, source, log);
  };
  await showMainWindowAsync();
}

/** The OS default browser; only http(s) ever reaches it (the core checks as well). */
async function openExternalWebUrl(url: string): Promise<void> {
  const safe = externalUrlToOpen(url);
  if (!safe) throw new Error('Only http and https links are opened in the browser.');
  await shell.openExternal(safe);
}

function showMainWindow(): void {
  showMainWindowAsync().catch(fail);
}

async function showMainWindowAsync(): Promise<void> {
  if (mainWindow && !mainWindow.isDestroyed()) {
    revealWindow(mainWindow);
    return;
  }
  // Before start() has run there is nothing to open yet; start() opens the window itself.
  if (!openWindow || quitting) return;
  if (!windowOpening) {
    windowOpening = openWindow().finally(() => {
      windowOpening = null;
    });
  }
  await windowOpening;
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  dialog.showErrorBox('OneHop cannot start', message);
  app.exit(1);
}
