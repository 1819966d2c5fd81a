import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  chooseRendererSource,
  rendererCsp,
  externalUrlToOpen,
  isOwnRendererUrl,
  isPermissionAllowed,
  isTrustedSender,
  parseInvokeMessage,
  withContentSecurityPolicy,
  type RendererSource,
} from './policy';

const rendererFile = path.resolve('/opt/OneHop/resources/app.asar/out/renderer/index.html');
const fileSource: RendererSource = { kind: 'file', path: rendererFile };
const devSource: RendererSource = { kind: 'dev', url: 'http://localhost:5173/' };
const ownFileUrl = pathToFileURL(rendererFile).href;

describe('chooseRendererSource', () => {
  it('uses the dev server only in an unpackaged run', () => {
    expect(chooseRendererSource('http://localhost:5173', false, rendererFile)).toEqual({
      kind: 'dev',
      url: 'http://localhost:5173',
    });
    expect(chooseRendererSource('http://localhost:5173', true, rendererFile)).toEqual(fileSource);
    expect(chooseRendererSource(undefined, false, rendererFile)).toEqual(fileSource);
  });

  it('ignores a dev server URL that is not http(s)', () => {
    expect(chooseRendererSource('file:///etc/passwd', false, rendererFile)).toEqual(fileSource);
    expect(chooseRendererSource('not a url', false, rendererFile)).toEqual(fileSource);
  });
});

describe('isOwnRendererUrl', () => {
  it('accepts the built index.html, with or without a hash route', () => {
    expect(isOwnRendererUrl(ownFileUrl, fileSource)).toBe(true);
    expect(isOwnRendererUrl(`${ownFileUrl}#/hosts`, fileSource)).toBe(true);
  });

  it('compares file paths, so percent-encoding differences do not matter', () => {
    const spaced: RendererSource = {
      kind: 'file',
      path: '/home/zoë/One Hop~/out/renderer/index.html',
    };
    expect(
      isOwnRendererUrl('file:///home/zo%C3%AB/One%20Hop~/out/renderer/index.html', spaced),
    ).toBe(true);
    expect(
      isOwnRendererUrl('file:///home/zo%C3%AB/One%20Hop%7E/out/renderer/index.html', spaced),
    ).toBe(true);
  });

  it('compares Windows paths without regard to case', () => {
    const windows: RendererSource = {
      kind: 'file',
      path: 'C:\\Program Files\\OneHop\\resources\\app.asar\\out\\renderer\\index.html',
    };
    const url = 'file:///c:/Program%20Files/OneHop/resources/app.asar/out/renderer/index.html#/x';
    expect(isOwnRendererUrl(url, windows, 'win32')).toBe(true);
    expect(isOwnRendererUrl('file:///c:/Temp/index.html', windows, 'win32')).toBe(false);
    expect(isOwnRendererUrl('file://server/share/index.html', windows, 'win32')).toBe(false);
  });

  it('rejects other files, other schemes and garbage', () => {
    expect(isOwnRendererUrl(pathToFileURL('/tmp/index.html').href, fileSource)).toBe(false);
    expect(isOwnRendererUrl('https://example.org/index.html', fileSource)).toBe(false);
    expect(isOwnRendererUrl('about:blank', fileSource)).toBe(false);
    expect(isOwnRendererUrl('', fileSource)).toBe(false);
    expect(isOwnRendererUrl('file://server/opt/OneHop/index.html', fileSource)).toBe(false);
  });

  it('accepts only the dev server origin in dev', () => {
    expect(isOwnRendererUrl('http://localhost:5173/', devSource)).toBe(true);
    expect(isOwnRendererUrl('http://localhost:5173/src/main.tsx', devSource)).toBe(true);
    expect(isOwnRendererUrl('http://localhost:5174/', devSource)).toBe(false);
    expect(isOwnRendererUrl('http://127.0.0.1:5173/', devSource)).toBe(false);
    expect(isOwnRendererUrl(ownFileUrl, devSource)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  const ok = { fromOurWindow: true, fromMainFrame: true, frameUrl: ownFileUrl };

  it('trusts our window main frame showing our page', () => {
    expect(isTrustedSender(ok, fileSource)).toBe(true);
  });

  it('refuses another window, an iframe, a foreign page or a vanished frame', () => {
    expect(isTrustedSender({ ...ok, fromOurWindow: false }, fileSource)).toBe(false);
    expect(isTrustedSender({ ...ok, fromMainFrame: false }, fileSource)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'https://evil.example/' }, fileSource)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: '' }, fileSource)).toBe(false);
  });
});

describe('externalUrlToOpen', () => {
  it('passes http and https URLs', () => {
    expect(externalUrlToOpen('https://docs.example.org/page?q=1#x')).toBe(
      'https://docs.example.org/page?q=1#x',
    );
    expect(externalUrlToOpen('http://example.org')).toBe('http://example.org/');
  });

  it('refuses every other scheme and URLs with credentials', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,hi',
      'smb://server/share',
      'ms-msdt:/id',
      'vscode://file/x',
      'mailto:a@example.org',
      'https://user:pass@example.org/',
      'https://user@example.org/',
      'not a url',
      '',
    ]) {
      expect(externalUrlToOpen(url), url).toBeNull();
    }
  });
});

describe('isPermissionAllowed', () => {
  it('grants clipboard access to our page only', () => {
    expect(isPermissionAllowed('clipboard-read', ownFileUrl, fileSource)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', ownFileUrl, fileSource)).toBe(true);
    expect(isPermissionAllowed('clipboard-read', 'https://evil.example/', fileSource)).toBe(false);
  });

  it('denies everything else', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'hid',
      'unknown',
    ]) {
      expect(isPermissionAllowed(permission, ownFileUrl, fileSource), permission).toBe(false);
    }
  });
});

describe('rendererCsp', () => {
  it('is the renderer policy in production', () => {
    expect(rendererCsp(fileSource)).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
        "form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('lets the dev page reach the Vite server and its HMR socket', () => {
    expect(rendererCsp(devSource)).toContain(
      "connect-src 'self' http://localhost:5173 ws://localhost:5173;",
    );
    expect(rendererCsp(devSource)).toContain("script-src 'self';");
  });

  it('replaces any CSP header the server sent, whatever its case', () => {
    const headers = withContentSecurityPolicy(
      { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
      "default-src 'self'",
    );
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': ["default-src 'self'"],
    });
    expect(withContentSecurityPolicy(undefined, 'x')).toEqual({ 'Content-Security-Policy': ['x'] });
  });
});

describe('parseInvokeMessage', () => {
  it('takes a command name and passes the payload through unchecked', () => {
    expect(parseInvokeMessage({ command: 'app.info', payload: { a: 1 } })).toEqual({
      command: 'app.info',
      payload: { a: 1 },
    });
    expect(parseInvokeMessage({ command: 'app.info' })).toEqual({
      command: 'app.info',
      payload: undefined,
    });
  });

  it('refuses messages without a string command', () => {
    for (const message of [null, undefined, 'app.info', 42, {}, { command: 1 }, [1]]) {
      expect(parseInvokeMessage(message)).toBeNull();
    }
  });
});
