/**
 * Proves the layering rules bite: dependency-cruiser runs with the project's config against small
 * fixture trees in a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const depcruise = path.join(root, 'node_modules/.bin/depcruise');
const config = path.join(root, '.dependency-cruiser.cjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'onehop-layering-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function layout(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

function cruise(cwd: string): { code: number | null; output: string } {
  const run = spawnSync(depcruise, ['src', '--config', config, '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('layering (dependency-cruiser)', () => {
  // One cruise over a tree that breaks every rule (depcruise takes seconds to start).
  let bad: { code: number | null; output: string };
  beforeAll(() => {
    bad = cruise(
      layout('bad', {
        'src/renderer/bad.ts': "import { x } from '../main/core/x';\nexport const y = x;\n",
        'src/main/core/x.ts': "import { app } from 'electron';\nexport const x = app;\n",
        'src/shared/model.ts': "import fs from 'node:fs';\nexport const model = fs;\n",
        'src/shared/leak.ts': "export { core } from '../main/core/index';\n",
        'src/preload/index.ts': "export { core } from '../main/core/index';\n",
        'src/main/core/index.ts': "import { cli } from '../cli/run';\nexport const core = cli;\n",
        'src/main/cli/run.ts': "import electron from 'electron';\nexport const cli = electron;\n",
        'src/main/web/server.ts': "export { ui } from '../../renderer/ui';\n",
        'src/renderer/ui.ts': "import type {} from 'node:path';\nexport const ui = 1;\n",
        'src/main/core/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
        'src/main/core/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
        'src/main/core/typo.ts': "export { nothing } from './does-not-exist';\n",
      }),
    );
  });

  it('rejects a renderer importing the core and a core importing electron', () => {
    expect(bad.code).not.toBe(0);
    expect(bad.output).toMatch(
      /renderer-imports-only-shared: src\/renderer\/bad\.ts → src\/main\/core\/x\.ts$/m,
    );
    expect(bad.output).toMatch(/core-no-electron: src\/main\/core\/x\.ts → electron$/m);
  });

  it('rejects the other forbidden edges', () => {
    for (const rule of [
      'shared-imports-nothing-else',
      'preload-imports-only-shared-and-electron',
      'core-no-hosts',
      'cli-and-web-hosts-no-electron',
      'hosts-no-ui-sources',
      'no-circular',
      'not-to-unresolvable',
    ]) {
      expect(bad.output, rule).toContain(`error ${rule}: `);
    }
    // Type-only imports count too: the renderer cannot even name Node's types.
    expect(bad.output).toMatch(
      /renderer-imports-only-shared: src\/renderer\/ui\.ts → (node:)?path$/m,
    );
  });

  it('accepts a tree that follows the layering', () => {
    const dir = layout('good', {
      'src/shared/contract.ts': 'export const version = 1;\n',
      'src/renderer/app.ts':
        "import { version } from '../shared/contract';\nexport const v = version;\n",
      'src/preload/index.ts':
        "import { ipcRenderer } from 'electron';\nimport { version } from '../shared/contract';\nexport const p = [ipcRenderer, version];\n",
      'src/main/core/index.ts':
        "import fs from 'node:fs';\nimport { version } from '../../shared/contract';\nexport const core = [fs, version];\n",
      'src/main/electron/index.ts':
        "import { app } from 'electron';\nimport { core } from '../core/index';\nexport const host = [app, core];\n",
      'src/main/cli/index.ts': "import { core } from '../core/index';\nexport const cli = core;\n",
    });
    const { code, output } = cruise(dir);
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  // The real tree is checked by `npm run layering` in `npm run lint` (and in CI).
});
