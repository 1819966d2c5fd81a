import { afterEach, describe, expect, it, vi } from 'vitest';
import { MISSING_TOOL_MARKER, findTool, isCi, requireTool, requireTools } from './tools';

describe('requireTools', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('finds tools on PATH and at pinned absolute paths', () => {
    expect(findTool('sh')).toMatch(/\/sh$/);
    expect(findTool('node', { path: process.execPath })).toBe(process.execPath);
    expect(findTool('node', { path: '/nonexistent/node' })).toBeUndefined();
    const check = requireTools(['sh', { name: 'node', path: process.execPath }], { ci: true });
    expect(check).toMatchObject({ skip: false, reason: '', marker: '' });
    expect(check.paths.node).toBe(process.execPath);
  });

  it('throws in CI when a tool is missing, naming the package to install', () => {
    expect(() => requireTool('sshd', { path: '/nonexistent/sshd', ci: true })).toThrow(
      /^sshd is missing: install openssh-server \(apt-get install -y openssh-server\)\./,
    );
    expect(() => requireTools(['sh', 'onehop-no-such-tool'], { ci: true })).toThrow(
      /onehop-no-such-tool is missing/,
    );
  });

  it('skips with a marked reason, printed once, outside CI', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const first = requireTools(['onehop-no-such-tool', 'sh'], { ci: false });
    const second = requireTools(['onehop-no-such-tool', 'sh'], { ci: false });
    expect(first.skip).toBe(true);
    expect(first.reason).toBe('onehop-no-such-tool is missing: install onehop-no-such-tool.');
    expect(first.marker).toBe(` ${MISSING_TOOL_MARKER}: onehop-no-such-tool]`);
    expect(second).toEqual(first);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('reads CI like CI systems set it', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({ CI: '' })).toBe(false);
    expect(isCi({})).toBe(false);
  });
});
