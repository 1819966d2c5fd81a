/** Types for scripts/ico.js (a plain Node script, imported by its unit test). */
export function encodeIco(images: { size: number; png: Buffer }[]): Buffer;
export function readIcoDirectory(
  ico: Buffer,
): { width: number; height: number; bitCount: number; data: Buffer }[];
