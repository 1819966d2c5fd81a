/**
 * A Windows .ico container that embeds PNG images (supported since Windows Vista; 256 px and
 * smaller). Kept apart from render-icons.js so it is unit tested without rendering anything.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const HEADER_SIZE = 6;
const ENTRY_SIZE = 16;

/**
 * @param {{ size: number, png: Buffer }[]} images square PNGs, 1..256 px
 * @returns {Buffer}
 */
export function encodeIco(images) {
  if (images.length === 0 || images.length > 0xffff) {
    throw new Error('An .ico file needs between 1 and 65535 images.');
  }
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon (2 would be a cursor)
  header.writeUInt16LE(images.length, 4);

  const entries = Buffer.alloc(ENTRY_SIZE * images.length);
  let offset = HEADER_SIZE + entries.length;
  images.forEach(({ size, png }, index) => {
    if (!Number.isInteger(size) || size < 1 || size > 256) {
      throw new Error(`Icon size ${size} is outside 1..256 pixels.`);
    }
    if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) {
      throw new Error(`The ${size}x${size} image is not a PNG.`);
    }
    const at = index * ENTRY_SIZE;
    entries.writeUInt8(size === 256 ? 0 : size, at); // width; 0 means 256
    entries.writeUInt8(size === 256 ? 0 : size, at + 1); // height
    entries.writeUInt8(0, at + 2); // palette colours: none
    entries.writeUInt8(0, at + 3); // reserved
    entries.writeUInt16LE(1, at + 4); // colour planes
    entries.writeUInt16LE(32, at + 6); // bits per pixel
    entries.writeUInt32LE(png.length, at + 8);
    entries.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, entries, ...images.map((image) => image.png)]);
}

/**
 * Reads the directory of an .ico file (for tests and for checking a written file).
 * @param {Buffer} ico
 * @returns {{ width: number, height: number, bitCount: number, data: Buffer }[]}
 */
export function readIcoDirectory(ico) {
  if (ico.length < HEADER_SIZE || ico.readUInt16LE(0) !== 0 || ico.readUInt16LE(2) !== 1) {
    throw new Error('Not an .ico file.');
  }
  const count = ico.readUInt16LE(4);
  const result = [];
  for (let index = 0; index < count; index += 1) {
    const at = HEADER_SIZE + index * ENTRY_SIZE;
    const length = ico.readUInt32LE(at + 8);
    const offset = ico.readUInt32LE(at + 12);
    if (offset + length > ico.length)
      throw new Error(`Image ${index} runs past the end of the file.`);
    result.push({
      width: ico.readUInt8(at) || 256,
      height: ico.readUInt8(at + 1) || 256,
      bitCount: ico.readUInt16LE(at + 6),
      data: ico.subarray(offset, offset + length),
    });
  }
  return result;
}
