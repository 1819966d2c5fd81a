/**
 * The ICO writer (scripts/ico.js) and the committed icon files that scripts/render-icons.js
 * produced: every file electron-builder and the host look for exists, at the size its name says.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeIco, readIcoDirectory } from '../../scripts/ico';

const assets = path.resolve(__dirname, '..', '..', 'assets');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** A minimal valid-looking PNG: signature plus an IHDR with the given size. */
function fakePng(size: number, extra = 0): Buffer {
  const ihdr = Buffer.alloc(25 + extra);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'ascii');
  ihdr.writeUInt32BE(size, 8);
  ihdr.writeUInt32BE(size, 12);
  return Buffer.concat([PNG_SIGNATURE, ihdr]);
}

describe('encodeIco', () => {
  it('writes a directory whose entries point at the embedded PNGs', () => {
    const images = [16, 48, 256].map((size, index) => ({ size, png: fakePng(size, index * 7) }));
    const ico = encodeIco(images);
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(ico.readUInt16LE(4)).toBe(3);
    // 256 px is stored as 0 in the one-byte width and height fields.
    expect(ico.readUInt8(6 + 2 * 16)).toBe(0);
    const entries = readIcoDirectory(ico);
    expect(entries.map((e) => [e.width, e.height, e.bitCount])).toEqual([
      [16, 16, 32],
      [48, 48, 32],
      [256, 256, 32],
    ]);
    entries.forEach((entry, index) => expect(entry.data.equals(images[index]!.png)).toBe(true));
    // The first image starts right after the header and the directory.
    expect(ico.readUInt32LE(6 + 12)).toBe(6 + 3 * 16);
    expect(ico.length).toBe(6 + 3 * 16 + images.reduce((n, i) => n + i.png.length, 0));
  });

  it('refuses sizes an ICO cannot hold and data that is not PNG', () => {
    expect(() => encodeIco([])).toThrow(/between 1 and 65535/);
    expect(() => encodeIco([{ size: 512, png: fakePng(512) }])).toThrow(/outside 1..256/);
    expect(() => encodeIco([{ size: 16, png: Buffer.from('not a png') }])).toThrow(/not a PNG/);
  });
});

describe('rendered icons in assets/', () => {
  it('has the app icon set for Linux and the 1024 px source for macOS', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      const png = fs.readFileSync(path.join(assets, 'icons', 'app', `${size}x${size}.png`));
      expect(pngSize(png)).toEqual({ width: size, height: size });
    }
    expect(pngSize(fs.readFileSync(path.join(assets, 'icon.png')))).toEqual({
      width: 1024,
      height: 1024,
    });
  });

  it('has a Windows icon with 16–256 px PNGs whose headers match the directory', () => {
    const entries = readIcoDirectory(fs.readFileSync(path.join(assets, 'icon.ico')));
    expect(entries.map((e) => e.width)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const entry of entries) expect(pngSize(entry.data).width).toBe(entry.width);
  });

  it('has every tray state for Linux, Windows and macOS', () => {
    const tray = path.join(assets, 'icons', 'tray');
    for (const state of ['signed-out', 'valid', 'expiring', 'expired']) {
      for (const size of [16, 24, 32]) {
        expect(pngSize(fs.readFileSync(path.join(tray, `tray-${state}-${size}.png`))).width).toBe(
          size,
        );
        expect(
          pngSize(fs.readFileSync(path.join(tray, `tray-${state}-${size}@2x.png`))).width,
        ).toBe(size * 2);
      }
      const ico = readIcoDirectory(fs.readFileSync(path.join(tray, `tray-${state}.ico`)));
      expect(ico.map((e) => e.width)).toEqual([16, 24, 32, 48]);
      expect(pngSize(fs.readFileSync(path.join(tray, `tray-${state}Template.png`))).width).toBe(16);
      expect(pngSize(fs.readFileSync(path.join(tray, `tray-${state}Template@2x.png`))).width).toBe(
        32,
      );
    }
  });
});
