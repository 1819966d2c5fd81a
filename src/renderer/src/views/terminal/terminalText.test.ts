import { describe, expect, it } from 'vitest';
import type { TerminalInfo } from '../../../../shared/model/terminal';
import { chunksOf, fontFamilyFor, isWebLink, MONO_STACK, overlayFor } from './terminalText';

const info = (patch: Partial<TerminalInfo>): TerminalInfo => ({
  id: 't1',
  title: 'alice@hpc-login',
  host: 'hpc-login',
  site: 'emu',
  state: 'connected',
  problem: null,
  remedy: 'none',
  exitCode: null,
  ...patch,
});
const base = { openError: null, everConnected: true, hasOutput: true, title: 'hpc-login' };

describe('terminal overlay', () => {
  it('shows nothing over a connected terminal', () => {
    expect(overlayFor(info({}), base)).toBeNull();
  });

  it('veils a terminal that is still connecting and has no output yet', () => {
    expect(overlayFor(null, { ...base, hasOutput: false })).toEqual({
      kind: 'connecting',
      text: 'Connecting to hpc-login…',
    });
    expect(overlayFor(info({ state: 'connecting' }), { ...base, hasOutput: true })).toBeNull();
  });

  it('offers the remedy the core names when disconnected', () => {
    const lost = overlayFor(
      info({ state: 'disconnected', problem: 'The proxy did not answer.', remedy: 'reconnect' }),
      base,
    );
    expect(lost).toEqual({
      kind: 'problem',
      title: 'Connection lost',
      detail: 'The proxy did not answer.',
      action: 'reconnect',
    });
    const expired = overlayFor(info({ state: 'disconnected', remedy: 'sign-in' }), base);
    expect(expired).toMatchObject({ action: 'sign-in' });
    const never = overlayFor(info({ state: 'disconnected', remedy: 'none' }), {
      ...base,
      everConnected: false,
    });
    expect(never).toMatchObject({ title: 'Could not connect', action: 'none' });
  });

  it('names the exit status of an ended session', () => {
    expect(overlayFor(info({ state: 'closed', exitCode: 3 }), base)).toMatchObject({
      title: 'Session ended (exit 3)',
      action: 'reconnect',
    });
    expect(overlayFor(info({ state: 'closed' }), base)).toMatchObject({ title: 'Session closed' });
  });

  it('reports a failed open above everything else', () => {
    expect(overlayFor(null, { ...base, openError: 'No such host.' })).toMatchObject({
      detail: 'No such host.',
      action: 'retry-open',
    });
  });
});

describe('terminal helpers', () => {
  it('puts the chosen font in front of the monospace stack', () => {
    expect(fontFamilyFor('')).toBe(MONO_STACK);
    expect(fontFamilyFor('JetBrains Mono')).toBe(`"JetBrains Mono", ${MONO_STACK}`);
    expect(fontFamilyFor("'Fira Code', monospace")).toBe(`'Fira Code', monospace, ${MONO_STACK}`);
  });

  it('lets only http(s) links out', () => {
    expect(isWebLink('https://example.org/a?b')).toBe(true);
    expect(isWebLink('http://127.0.0.1:8888/lab')).toBe(true);
    expect(isWebLink('file:///etc/passwd')).toBe(false);
    expect(isWebLink('javascript:alert(1)')).toBe(false);
    expect(isWebLink('not a url')).toBe(false);
  });

  it('splits large pastes without breaking surrogate pairs', () => {
    expect(chunksOf('abc', 10)).toEqual(['abc']);
    expect(chunksOf('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    const emoji = 'ab😀cd';
    const parts = chunksOf(emoji, 3);
    expect(parts.join('')).toBe(emoji);
    expect(parts[0]).toBe('ab');
    expect(parts.every((p) => p.length <= 3)).toBe(true);
  });
});
