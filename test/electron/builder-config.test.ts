/**
 * electron-builder cannot run on the build machines (it downloads Electron), so check its
 * configuration here: the YAML parses, matches electron-builder's own JSON schema (a typo'd key
 * fails), and names files that exist.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Both come with electron-builder (js-yaml has no type package installed, hence require).
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const Ajv = require('ajv') as new (options: object) => {
  addKeyword(definition: { keyword: string }): void;
  compile(schema: unknown): ((data: unknown) => boolean) & { errors?: unknown };
};

const root = path.resolve(__dirname, '..', '..');

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  directories: { buildResources: string };
  extraResources: { from: string; to: string; filter: string[] }[];
  linux: { target: string[]; icon: string; category: string; maintainer: string };
  mac: { target: string; icon: string; category: string; hardenedRuntime: boolean };
  win: { target: string; icon: string };
}

const config = yaml.load(
  fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'),
) as BuilderConfig;

describe('electron-builder.yml', () => {
  it("matches electron-builder's configuration schema", () => {
    const schema: unknown = JSON.parse(
      fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
    );
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addKeyword({ keyword: 'typeof' }); // electron-builder's own schema extension
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('packages only the built output, unpacks native addons, and targets every OS', () => {
    expect(config.appId).toBe('int.onehop.app');
    expect(config.productName).toBe('OneHop');
    expect(config.files).toEqual(['out/**/*', 'package.json']);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.linux.target).toEqual(['AppImage', 'deb', 'rpm']);
    expect(config.linux.category).toBe('Network');
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
    expect(config.mac).toMatchObject({
      target: 'dmg',
      category: 'public.app-category.developer-tools',
      hardenedRuntime: true,
    });
    expect(config.win.target).toBe('nsis');
  });

  it('names icon files and folders that exist', () => {
    for (const file of [config.mac.icon, config.win.icon, config.linux.icon]) {
      expect(fs.existsSync(path.join(root, file)), file).toBe(true);
    }
    expect(fs.existsSync(path.join(root, config.directories.buildResources, 'icon.png'))).toBe(
      true,
    );
    for (const resource of config.extraResources) {
      expect(fs.existsSync(path.join(root, resource.from, 'tray'))).toBe(true);
      expect(fs.existsSync(path.join(root, resource.from, 'app', '256x256.png'))).toBe(true);
    }
  });
});
