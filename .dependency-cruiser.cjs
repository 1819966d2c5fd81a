/**
 * Layering of OneHop (docs: architecture.md, "Layering you can check"):
 *   renderer -> shared (+ npm packages)     preload -> shared + electron
 *   shared   -> npm packages only           core    -> shared + Node + npm, never electron/hosts/UI
 *   hosts (main/electron, main/cli, main/web) -> core + shared; only the Electron host uses electron
 * Run with `npm run layering`; a violation prints one line per import and fails the lint step.
 */

const path = require('node:path');

// Matches the electron package, resolved or not (electron/main etc. only exist at runtime).
const ELECTRON = '^(node_modules/)?electron(/|$)';
// Tests beside the code run in Node and may use node built-ins and test helpers.
const TEST_FILE = '\\.test\\.tsx?$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'renderer-imports-only-shared',
      comment:
        'The renderer talks to the core only through the typed contract: import from src/shared ' +
        'or npm packages, never from src/main, src/preload or Node built-ins.',
      severity: 'error',
      from: { path: '^src/renderer/', pathNot: TEST_FILE },
      to: { pathNot: '^(src/renderer/|src/shared/|node_modules/)' },
    },
    {
      name: 'preload-imports-only-shared-and-electron',
      comment: 'The preload bridge exposes the typed client: only src/shared and electron.',
      severity: 'error',
      from: { path: '^src/preload/', pathNot: TEST_FILE },
      to: { pathNot: [`^(src/preload/|src/shared/)`, ELECTRON] },
    },
    {
      name: 'shared-imports-nothing-else',
      comment:
        'src/shared is used by every layer, including the browser: npm packages only, no Node ' +
        'built-ins, nothing from the rest of src.',
      severity: 'error',
      from: { path: '^src/shared/', pathNot: TEST_FILE },
      to: { pathNot: '^(src/shared/|node_modules/)' },
    },
    {
      name: 'shared-no-electron',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: ELECTRON },
    },
    {
      name: 'core-no-electron',
      comment: 'The core runs and is tested in plain Node: Electron-only code belongs in a host.',
      severity: 'error',
      from: { path: '^src/main/core/' },
      to: { path: ELECTRON },
    },
    {
      name: 'core-no-hosts',
      comment: 'Hosts depend on the core, never the other way round.',
      severity: 'error',
      from: { path: '^src/main/core/' },
      to: { path: '^src/main/(electron|cli|web)/' },
    },
    {
      name: 'core-no-ui',
      severity: 'error',
      from: { path: '^src/main/core/' },
      to: { path: '^src/(renderer|preload)/' },
    },
    {
      name: 'ssh2-only-in-wrapper',
      comment:
        'ssh2 is untyped and patched: only its typed wrapper src/main/core/ssh/ssh2.ts loads it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/main/core/ssh/ssh2\\.ts$' },
      to: { path: '^node_modules/ssh2/' },
    },
    {
      name: 'cli-and-web-hosts-no-electron',
      comment: 'The CLI and the browser-mode host run in plain Node without Electron.',
      severity: 'error',
      from: { path: '^src/main/(cli|web)/' },
      to: { path: ELECTRON },
    },
    {
      name: 'hosts-no-ui-sources',
      comment: 'Hosts load the built renderer and preload, they do not import their sources.',
      severity: 'error',
      from: { path: '^src/main/(electron|cli|web)/' },
      to: { path: '^src/(renderer|preload)/' },
    },
    {
      name: 'no-circular',
      comment: 'Import cycles make load order fragile; type-only cycles are harmless.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that cannot be resolved is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: ELECTRON },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(out|dist|test-results)/' },
    tsPreCompilationDeps: true,
    // Absolute, so the layering test can run this config against fixtures in a temp directory.
    tsConfig: { fileName: path.join(__dirname, 'tsconfig.node.json') },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
