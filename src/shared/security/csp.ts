/**
 * The one Content-Security-Policy of the OneHop UI. The Electron host sends it as a header for
 * dev-server pages, the browser-mode host for every response, and `src/renderer/index.html`
 * carries it as a meta tag (kept equal by `csp.test.ts`). Only `connect-src` differs per host.
 */
export function contentSecurityPolicy(
  connectSources: readonly string[],
  { meta = false }: { meta?: boolean } = {},
): string {
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    // Browsers ignore (and complain about) frame-ancestors in a meta tag; headers carry it.
    ...(meta ? [] : ["frame-ancestors 'none'"]),
  ];
  return directives.join('; ');
}

/** The meta-tag policy: WebSockets to the browser-mode host on any loopback port. */
export const RENDERER_META_CSP = contentSecurityPolicy(['ws://127.0.0.1:*', 'ws://localhost:*'], {
  meta: true,
});
