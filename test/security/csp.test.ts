// The shared policy lives in src/shared (no Node there), so its file-reading test lives here.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, RENDERER_META_CSP } from '../../src/shared/security/csp';

describe('content security policy', () => {
  it('is the policy the renderer page carries in its meta tag', () => {
    const html = fs.readFileSync(path.resolve(__dirname, '../../src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(RENDERER_META_CSP);
  });

  it('allows scripts only from the app itself and forbids framing in headers', () => {
    const header = contentSecurityPolicy(['ws://127.0.0.1:4000']);
    expect(header).toContain("script-src 'self';");
    expect(header).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(header).toContain("connect-src 'self' ws://127.0.0.1:4000;");
    expect(header.endsWith("frame-ancestors 'none'")).toBe(true);
    expect(RENDERER_META_CSP).not.toContain('frame-ancestors');
  });
});
