/**
 * Hardening that applies to every web page the app ever creates: CSP on HTTP documents (the dev
 * server; the built file carries the same policy in its `<meta>` tag, because file:// responses
 * have no headers to rewrite), no navigation away from our page, no new windows (http(s) links
 * go to the system browser), no `<webview>`, and no permissions except the clipboard.
 */
import { app, session, shell, type WebContents } from 'electron';
import {
  rendererCsp,
  externalUrlToOpen,
  isPermissionAllowed,
  withContentSecurityPolicy,
  type RendererSource,
} from './policy';

/** Call once, after `app` is ready and before the first window is created. */
export function applySecurityPolicy(source: RendererSource): void {
  const ses = session.defaultSession;
  const policy = rendererCsp(source);

  ses.webRequest.onHeadersReceived((details, callback) => {
    if (details.resourceType !== 'mainFrame' && details.resourceType !== 'subFrame') {
      callback({});
      return;
    }
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, policy) });
  });

  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const url = details.requestingUrl || contents.getURL();
    callback(details.isMainFrame && isPermissionAllowed(permission, url, source));
  });
  ses.setPermissionCheckHandler((contents, permission, requestingOrigin) => {
    // A check without a page (service workers, the browser itself) is never ours to grant.
    if (!contents) return false;
    return isPermissionAllowed(permission, contents.getURL() || requestingOrigin, source);
  });

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
}

function guardWebContents(contents: WebContents): void {
  // Page-initiated navigation (links without target, location changes, form posts) would replace
  // our UI and keep the preload bridge; our own loads use loadFile/loadURL, which do not emit this.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrlToOpen(url);
    if (external) {
      shell.openExternal(external).catch(() => {
        // No browser configured: nothing more the app can do; the link simply does not open.
      });
    }
    return { action: 'deny' };
  });
}
