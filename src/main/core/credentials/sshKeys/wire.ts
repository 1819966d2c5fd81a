/**
 * SSH wire encoding (RFC 4251 §5): uint32, uint64, string, mpint, name-list.
 *
 * Keys and certificates come from servers and files we do not control, so the reader is
 * bounded: every length is checked against what is left before anything is sliced or
 * allocated, and every failure is an `SshFormatError` (never a RangeError from Buffer).
 */

/** Malformed SSH data: truncated, over-long, or a value outside what the format allows. */
export class SshFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshFormatError';
  }
}

// OpenSSH refuses bignums over 16384 bits (SSHBUF_MAX_BIGNUM); a sign byte may precede them.
const MAX_MPINT_BYTES = 16384 / 8 + 1;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class SshReader {
  private offset = 0;

  constructor(
    private readonly buffer: Buffer,
    /** Names the data in error messages ("certificate", "public key", ...). */
    private readonly what = 'SSH data',
  ) {}

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  get position(): number {
    return this.offset;
  }

  private take(length: number, field: string): Buffer {
    if (length > this.remaining) {
      throw new SshFormatError(
        `The ${this.what} is truncated: ${field} needs ${length} bytes but only ${this.remaining} remain.`,
      );
    }
    const out = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  uint8(field = 'byte'): number {
    return this.take(1, field).readUInt8(0);
  }

  uint32(field = 'uint32'): number {
    return this.take(4, field).readUInt32BE(0);
  }

  uint64(field = 'uint64'): bigint {
    return this.take(8, field).readBigUInt64BE(0);
  }

  /** A length-prefixed byte string; a view into the input, not a copy. */
  bytes(field = 'string'): Buffer {
    const length = this.uint32(`the length of ${field}`);
    return this.take(length, field);
  }

  /** A string that must be valid UTF-8 without NUL bytes (names, key IDs, principals). */
  text(field = 'string'): string {
    const raw = this.bytes(field);
    let value: string;
    try {
      value = utf8.decode(raw);
    } catch {
      throw new SshFormatError(`The ${this.what} has a ${field} that is not valid UTF-8.`);
    }
    if (value.includes('\0')) {
      throw new SshFormatError(`The ${this.what} has a ${field} containing a NUL byte.`);
    }
    return value;
  }

  /** A non-negative mpint as its unsigned big-endian magnitude, leading zeros removed. */
  mpint(field = 'mpint'): Buffer {
    const raw = this.bytes(field);
    if (raw.length > MAX_MPINT_BYTES) {
      throw new SshFormatError(`The ${this.what} has a ${field} that is too large.`);
    }
    if (raw.length > 0 && (raw.readUInt8(0) & 0x80) !== 0) {
      throw new SshFormatError(`The ${this.what} has a negative ${field}.`);
    }
    let start = 0;
    while (start < raw.length && raw[start] === 0) start++;
    return raw.subarray(start);
  }

  /** A comma-separated name-list; the empty string is the empty list. */
  nameList(field = 'name-list'): string[] {
    const value = this.text(field);
    if (value === '') return [];
    const names = value.split(',');
    if (names.some((name) => name === '')) {
      throw new SshFormatError(`The ${this.what} has a ${field} with an empty name.`);
    }
    return names;
  }

  /** Throws unless every byte was consumed; trailing data means we misread the structure. */
  end(): void {
    if (this.remaining !== 0) {
      throw new SshFormatError(`The ${this.what} has ${this.remaining} unexpected trailing bytes.`);
    }
  }
}

export class SshWriter {
  private readonly parts: Buffer[] = [];

  uint32(value: number): this {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(value, 0);
    this.parts.push(out);
    return this;
  }

  uint64(value: bigint): this {
    const out = Buffer.alloc(8);
    out.writeBigUInt64BE(value, 0);
    this.parts.push(out);
    return this;
  }

  bytes(value: Uint8Array | string): this {
    const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
    this.uint32(data.length);
    this.parts.push(data);
    return this;
  }

  /** Writes an unsigned magnitude as an mpint: minimal, with a 0 byte when the top bit is set. */
  mpint(magnitude: Uint8Array): this {
    let start = 0;
    while (start < magnitude.length && magnitude[start] === 0) start++;
    const trimmed = Buffer.from(magnitude.subarray(start));
    const needsSign = trimmed.length > 0 && (trimmed.readUInt8(0) & 0x80) !== 0;
    return this.bytes(needsSign ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed);
  }

  nameList(names: readonly string[]): this {
    return this.bytes(names.join(','));
  }

  raw(data: Uint8Array): this {
    this.parts.push(Buffer.from(data));
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Strict base64 (OpenSSH rejects anything else in key lines); padding optional. */
export function decodeBase64(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw new SshFormatError(`The ${what} is not valid base64.`);
  }
  return Buffer.from(text, 'base64');
}
