import { describe, expect, it } from 'vitest';
import { formatBytes, forwardLabel, isRunning, launcherStateText } from './tunnelText';

describe('formatBytes', () => {
  it('reads like a file manager', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10 * 1024 - 1)).toBe('9.9 KB');
    expect(formatBytes(23 * 1024 * 1024 + 5)).toBe('23 MB');
    expect(formatBytes(3.25 * 1024 ** 3)).toBe('3.2 GB');
    expect(formatBytes(5000 * 1024 ** 4)).toBe('5000 TB');
  });
  it('never shows nonsense', () => {
    expect(formatBytes(-5)).toBe('0 B');
    expect(formatBytes(Number.NaN)).toBe('0 B');
  });
});

describe('forwardLabel', () => {
  it('uses the ssh notation with an arrow to the target', () => {
    expect(forwardLabel({ kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: 9050 })).toBe(
      '-D 127.0.0.1:9050',
    );
    expect(
      forwardLabel({
        kind: 'local',
        bindAddress: '127.0.0.1',
        bindPort: 4141,
        targetHost: 'machine1',
        targetPort: 4141,
      }),
    ).toBe('-L 127.0.0.1:4141 → machine1:4141');
  });
});

describe('states', () => {
  it('counts every state that holds listeners as running', () => {
    expect(isRunning('listening')).toBe(true);
    expect(isRunning('reconnecting')).toBe(true);
    expect(isRunning('waiting-for-sign-in')).toBe(true);
    expect(isRunning('starting')).toBe(true);
    expect(isRunning('stopped')).toBe(false);
    expect(isRunning('failed')).toBe(false);
  });
  it('describes the launcher', () => {
    const base = { pid: null, exitCode: null, message: null };
    expect(launcherStateText({ ...base, state: 'running', pid: 42 })).toBe('Running (PID 42)');
    expect(launcherStateText({ ...base, state: 'exited', exitCode: 1 })).toBe('Exited with code 1');
    expect(
      launcherStateText({ ...base, state: 'failed', message: 'proxychains4 is not installed.' }),
    ).toBe('proxychains4 is not installed.');
  });
});
