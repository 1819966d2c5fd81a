/**
 * A sandboxed preload can `require` only a few built-in modules ('electron' among them); any
 * other require fails only at runtime, inside Electron, which cannot run on the build machines.
 * So check the built bundle: CommonJS, and 'electron' is its only import.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bundle = path.resolve(__dirname, '..', '..', 'out', 'preload', 'index.cjs');
const built = fs.existsSync(bundle);
if (!built && !process.env.CI) {
  console.warn(
    `Skipping the preload bundle check: ${bundle} is missing; run "npm run build" first.`,
  );
}

describe.skipIf(!built && !process.env.CI)('preload bundle', () => {
  it('requires nothing but electron and has no ESM syntax', () => {
    expect(built, `${bundle} is missing; "npm test" builds it first`).toBe(true);
    const code = fs.readFileSync(bundle, 'utf8');
    const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/^\s*import\s/m);
    expect(code).not.toMatch(/^\s*export\s/m);
    expect(code).toContain('exposeInMainWorld("onehop"');
  });
});
