import { describe, expect, it } from 'vitest';
import { decodeBase64, SshFormatError, SshReader, SshWriter } from './wire';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('SSH wire format', () => {
  it('round-trips every field type', () => {
    const data = new SshWriter()
      .uint32(0xdeadbeef)
      .uint64(0xffff_ffff_ffff_ffffn)
      .bytes('héllo')
      .mpint(hex('0000 8001'))
      .nameList(['zlib', 'none'])
      .nameList([])
      .toBuffer();
    const reader = new SshReader(data);
    expect(reader.uint32()).toBe(0xdeadbeef);
    expect(reader.uint64()).toBe(0xffff_ffff_ffff_ffffn);
    expect(reader.text()).toBe('héllo');
    expect(reader.mpint()).toEqual(hex('8001'));
    expect(reader.nameList()).toEqual(['zlib', 'none']);
    expect(reader.nameList()).toEqual([]);
    expect(reader.remaining).toBe(0);
    reader.end();
  });

  it('encodes mpints as in the RFC 4251 examples', () => {
    const mpint = (magnitude: string) => new SshWriter().mpint(hex(magnitude)).toBuffer();
    expect(mpint('')).toEqual(hex('00000000'));
    expect(mpint('09a378f9b2e332a7')).toEqual(hex('00000008 09a378f9b2e332a7'));
    expect(mpint('80')).toEqual(hex('00000002 0080'));
    expect(mpint('000080')).toEqual(hex('00000002 0080'));
  });

  it('refuses negative and oversized mpints', () => {
    expect(() => new SshReader(hex('00000001 ff')).mpint()).toThrow(/negative/);
    const huge = new SshWriter().bytes(Buffer.alloc(3000, 1)).toBuffer();
    expect(() => new SshReader(huge).mpint()).toThrow(/too large/);
  });

  it('never reads past the end, whatever the length prefix claims', () => {
    const claims = hex('ffffffff 0102');
    expect(() => new SshReader(claims, 'certificate').bytes('the nonce')).toThrow(SshFormatError);
    expect(() => new SshReader(claims, 'certificate').bytes('the nonce')).toThrow(
      'The certificate is truncated: the nonce needs 4294967295 bytes but only 2 remain.',
    );
    expect(() => new SshReader(hex('0000')).uint32()).toThrow(SshFormatError);
    expect(() => new SshReader(hex('00000000 0000')).uint64()).toThrow(SshFormatError);
    expect(() => new SshReader(Buffer.alloc(0)).uint8()).toThrow(SshFormatError);
  });

  it('refuses invalid text, NUL bytes, empty names and trailing bytes', () => {
    expect(() => new SshReader(hex('00000001 ff')).text()).toThrow(/UTF-8/);
    expect(() => new SshReader(hex('00000003 610062')).text()).toThrow(/NUL/);
    expect(() => new SshReader(hex('00000002 612c')).nameList()).toThrow(/empty name/);
    expect(() => new SshReader(hex('00')).end()).toThrow(/trailing/);
  });

  it('decodes strict base64 only', () => {
    expect(decodeBase64('AAAAC3Nz', 'key')).toEqual(hex('0000000b7373'));
    expect(decodeBase64('YQ', 'key')).toEqual(Buffer.from('a'));
    expect(() => decodeBase64('AA*A', 'key')).toThrow(SshFormatError);
    expect(() => decodeBase64('AAAAA', 'key')).toThrow('The key is not valid base64.');
  });
});
