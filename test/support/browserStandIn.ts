/**
 * A non-interactive browser for sign-in tests: what a user's browser does when every page it
 * meets either redirects or submits itself.
 *
 *   const { visited, status, reachedCallback } = await visit(url, { timeoutMs: 10_000 });
 *
 * It follows, for at most `maxRedirects` hops in total (default 20):
 *  - HTTP 30x redirects (GET afterwards, as browsers do for 301/302/303; 307/308 keep a POST);
 *  - `<meta http-equiv="refresh" content="0;URL='…'">` pages (Teleport's WithMetaRedirect);
 *  - a page with exactly one `<form method="post">`, submitted with its named inputs
 *    (response_mode=form_post pages, which a real browser submits with JavaScript).
 * Cookies are kept per host name (not port, as RFC 6265 says) with their Path.
 *
 * It stops after requesting a loopback URL whose path is `/callback` (or whatever `isCallback`
 * says): that request is what delivers the result to the app's callback server, and the app's
 * answer is not followed further. Otherwise it stops at the first page that does none of the
 * above. Any URL outside 127.0.0.0/8, ::1 and localhost is refused with an error before it is
 * requested, so a test can never reach the internet. Network errors, a timeout (default 30 s)
 * and too many hops throw; HTTP error statuses do not (see `status`).
 */

export interface VisitOptions {
  /** Hops allowed (redirects + meta refreshes + form posts); default 20. */
  maxRedirects?: number;
  /** Whole visit, default 30 s. */
  timeoutMs?: number;
  /** Which URL is the app's callback (stop after requesting it); default: loopback `/callback`. */
  isCallback?: (url: URL) => boolean;
  /** Stop early from outside. */
  signal?: AbortSignal;
}

export interface VisitResult {
  /** Every URL requested, in order (the first is the one given). */
  visited: string[];
  /** HTTP status of the last response. */
  status: number;
  /** The last URL requested. */
  finalUrl: string;
  /** True when the visit ended by delivering the callback URL. */
  reachedCallback: boolean;
  /** The last response body, clipped to 4 KiB (for diagnostics). */
  body: string;
}

export class BrowserStandInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserStandInError';
  }
}

const DEFAULT_MAX_HOPS = 20;
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_BODY_CHARS = 1024 * 1024;

export function isLoopbackUrl(url: URL): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function defaultIsCallback(url: URL): boolean {
  return url.pathname === '/callback';
}

/** Refuses anything that is not a loopback http(s) URL; throws BrowserStandInError. */
export function assertLoopback(raw: string, base?: string): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new BrowserStandInError(`Not a URL: ${raw.slice(0, 200)}`);
  }
  if (!isLoopbackUrl(url)) {
    throw new BrowserStandInError(`Refusing to visit a non-loopback URL: ${url.origin}`);
  }
  return url;
}

interface Cookie {
  name: string;
  value: string;
  host: string;
  path: string;
}

/** A minimal RFC 6265 jar: host-only cookies, Path matching, Max-Age/Expires deletion. */
class CookieJar {
  private readonly cookies = new Map<string, Cookie>();

  store(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = url.pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', ...rest] = attribute.split('=');
        const attrValue = rest.join('=').trim();
        const lower = key.trim().toLowerCase();
        if (lower === 'path' && attrValue.startsWith('/')) path = attrValue;
        if (lower === 'max-age' && Number(attrValue) <= 0) expired = true;
        if (lower === 'expires' && Date.parse(attrValue) <= Date.now()) expired = true;
      }
      const key = `${url.hostname}|${path}|${name}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, host: url.hostname, path });
    }
  }

  header(url: URL): string | undefined {
    const matching = [...this.cookies.values()].filter(
      (c) =>
        c.host === url.hostname &&
        (url.pathname === c.path ||
          url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)),
    );
    // Longer paths first, as browsers send them.
    matching.sort((a, b) => b.path.length - a.path.length);
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (_m, entity: string) => {
    const e = entity.toLowerCase();
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] ?? '';
  });
}

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  const re = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  // Skip the tag name itself.
  const inner = tag.replace(/^<\s*[a-zA-Z]+/, '').replace(/\/?>$/, '');
  for (const m of inner.matchAll(re)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!found.has(name)) found.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return found;
}

/** The target of `<meta http-equiv="refresh" content="N; URL='…'">`, if the page has one. */
export function metaRefreshTarget(html: string): string | undefined {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    const attrs = attributes(tag);
    if (attrs.get('http-equiv')?.toLowerCase() !== 'refresh') continue;
    const match = /^\s*\d+\s*[;,]\s*url\s*=\s*(.+)$/i.exec(attrs.get('content') ?? '');
    const target = match?.[1]?.trim().replace(/^(['"])(.*)\1$/, '$2');
    if (target) return target;
  }
  return undefined;
}

export interface PostForm {
  action: string | undefined;
  fields: [string, string][];
}

/** The page's form when it has exactly one and it is `method=post`. */
export function singlePostForm(html: string): PostForm | undefined {
  const forms = [...html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/gi)];
  if (forms.length !== 1) return undefined;
  const [whole = '', body = ''] = forms[0] ?? [];
  const attrs = attributes(/^<form\b[^>]*>/i.exec(whole)?.[0] ?? '');
  if (attrs.get('method')?.toLowerCase() !== 'post') return undefined;
  const fields: [string, string][] = [];
  for (const tag of body.match(/<input\b[^>]*>/gi) ?? []) {
    const input = attributes(tag);
    const name = input.get('name');
    const type = input.get('type')?.toLowerCase() ?? 'text';
    if (!name || ['submit', 'button', 'image', 'reset', 'file'].includes(type)) continue;
    if ((type === 'checkbox' || type === 'radio') && !input.has('checked')) continue;
    fields.push([name, input.get('value') ?? '']);
  }
  return { action: attrs.get('action'), fields };
}

interface Request {
  url: URL;
  method: 'GET' | 'POST';
  body?: string;
}

/** Visits `url` like a browser that needs nobody at the keyboard; see the file comment. */
export async function visit(start: string, options: VisitOptions = {}): Promise<VisitResult> {
  const maxHops = options.maxRedirects ?? DEFAULT_MAX_HOPS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const isCallback = options.isCallback ?? defaultIsCallback;
  const signals = [AbortSignal.timeout(timeoutMs)];
  if (options.signal) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  const jar = new CookieJar();
  const visited: string[] = [];
  let request: Request = { url: assertLoopback(start), method: 'GET' };

  for (let hop = 0; ; hop++) {
    visited.push(request.url.href);
    const headers: Record<string, string> = { Accept: 'text/html,*/*' };
    const cookie = jar.header(request.url);
    if (cookie) headers.Cookie = cookie;
    if (request.body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    let response: Response;
    let text: string;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers,
        body: request.body,
        redirect: 'manual',
        signal,
      });
      text = (await response.text()).slice(0, MAX_BODY_CHARS);
    } catch (error) {
      if (signal.aborted) {
        const why = options.signal?.aborted ? 'was stopped' : `timed out after ${timeoutMs} ms`;
        throw new BrowserStandInError(
          `The visit ${why} at ${request.url.origin}${request.url.pathname}.`,
        );
      }
      const cause = error instanceof Error ? (error.cause ?? error) : error;
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new BrowserStandInError(
        `Could not load ${request.url.origin}${request.url.pathname}: ${detail}`,
      );
    }
    jar.store(request.url, response.headers.getSetCookie());
    const result = (reachedCallback: boolean): VisitResult => ({
      visited,
      status: response.status,
      finalUrl: request.url.href,
      reachedCallback,
      body: text.slice(0, 4096),
    });
    if (isLoopbackUrl(request.url) && isCallback(request.url)) return result(true);

    let next: Request | undefined;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const keep =
        (response.status === 307 || response.status === 308) && request.method === 'POST';
      next = keep
        ? { url: assertLoopback(location, request.url.href), method: 'POST', body: request.body }
        : { url: assertLoopback(location, request.url.href), method: 'GET' };
    } else if (response.status < 300) {
      const refresh = metaRefreshTarget(text);
      const form = refresh === undefined ? singlePostForm(text) : undefined;
      if (refresh !== undefined) {
        next = { url: assertLoopback(refresh, request.url.href), method: 'GET' };
      } else if (form) {
        next = {
          url: assertLoopback(form.action || request.url.href, request.url.href),
          method: 'POST',
          body: new URLSearchParams(form.fields).toString(),
        };
      }
    }
    if (!next) return result(false);
    if (hop + 1 > maxHops) {
      throw new BrowserStandInError(
        `Too many redirects (more than ${maxHops}) from ${start.slice(0, 200)}.`,
      );
    }
    request = next;
  }
}
