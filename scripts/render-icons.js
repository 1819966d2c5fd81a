/**
 * Renders the icons in assets/ from the SVG sources in assets/icons/src (run: npm run icons).
 * The outputs are committed, so packaging and the app never need a renderer.
 *
 *   assets/icon.png                      1024 px, electron-builder derives the macOS .icns from it
 *   assets/icon.ico                      Windows app icon, 16–256 px PNGs in one ICO
 *   assets/icons/app/<n>x<n>.png         Linux icon set (16–1024) and the window icon
 *   assets/icons/tray/tray-<state>-<n>.png (+ @2x)   Linux/Windows tray, colour, 16/24/32 px
 *   assets/icons/tray/tray-<state>.ico   Windows tray (16/24/32/48: 100–200 % display scaling)
 *   assets/icons/tray/tray-<state>Template.png (+ @2x)   macOS menu bar template images
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { encodeIco } from './ico.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const assets = path.join(root, 'assets');
const sources = path.join(assets, 'icons', 'src');

export const TRAY_STATES = ['signed-out', 'valid', 'expiring', 'expired'];
const APP_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const TRAY_SIZES = [16, 24, 32];
const TRAY_ICO_SIZES = [16, 24, 32, 48];
/** Below this size the app icon uses the simplified drawing (bigger dots, full-bleed tile). */
const SMALL_ICON_MAX = 64;

const cache = new Map();

/** Renders one SVG source at `size` px square; results are cached (ICOs reuse the PNGs). */
function render(sourceName, size) {
  const key = `${sourceName}@${size}`;
  if (!cache.has(key)) {
    const svg = fs.readFileSync(path.join(sources, sourceName));
    const resvg = new Resvg(svg, {
      fitTo: { mode: 'width', value: size },
      font: { loadSystemFonts: false },
    });
    const image = resvg.render();
    if (image.width !== size || image.height !== size) {
      throw new Error(
        `${sourceName} rendered at ${image.width}x${image.height}, expected ${size}.`,
      );
    }
    cache.set(key, image.asPng());
  }
  return cache.get(key);
}

const appSource = (size) => (size <= SMALL_ICON_MAX ? 'app-small.svg' : 'app.svg');

function write(relative, data) {
  const file = path.join(assets, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return relative;
}

export function renderAll() {
  const written = [];
  for (const size of APP_SIZES) {
    written.push(write(`icons/app/${size}x${size}.png`, render(appSource(size), size)));
  }
  written.push(write('icon.png', render('app.svg', 1024)));
  written.push(
    write(
      'icon.ico',
      encodeIco(ICO_SIZES.map((size) => ({ size, png: render(appSource(size), size) }))),
    ),
  );

  for (const state of TRAY_STATES) {
    const colour = `tray-${state}.svg`;
    for (const size of TRAY_SIZES) {
      written.push(write(`icons/tray/tray-${state}-${size}.png`, render(colour, size)));
      written.push(write(`icons/tray/tray-${state}-${size}@2x.png`, render(colour, size * 2)));
    }
    written.push(
      write(
        `icons/tray/tray-${state}.ico`,
        encodeIco(TRAY_ICO_SIZES.map((size) => ({ size, png: render(colour, size) }))),
      ),
    );
    // macOS picks the image by the "Template" suffix and the @2x one on Retina displays.
    const template = `tray-${state}Template.svg`;
    written.push(write(`icons/tray/tray-${state}Template.png`, render(template, 16)));
    written.push(write(`icons/tray/tray-${state}Template@2x.png`, render(template, 32)));
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = renderAll();
  console.log(
    `Rendered ${written.length} icon files into ${path.relative(process.cwd(), assets) || '.'}/.`,
  );
}
