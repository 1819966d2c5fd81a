/**
 * Who may talk to the browser-mode host. It serves a UI that can add sites and (later) open
 * terminals, so it must refuse every page but its own: loopback only, a random token that only
 * the person who started it has, and Host/Origin checks against DNS rebinding and cross-site
 * WebSockets (browsers do not apply the same-origin policy to WebSocket handshakes).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { contentSecurityPolicy } from '../../shared/security/csp';

export const SESSION_COOKIE = 'onehop_session';

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

export function tokensEqual(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Host header must name this server on loopback (defeats DNS rebinding). */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`;
}

/** A WebSocket handshake must come from a page this server served. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

export function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export function webHostCsp(port: number): string {
  return contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
}
