import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = path.resolve(import.meta.dirname, '../../scripts/check-test-report.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Status = 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';

function check(
  tests: Array<[string, Status]>,
  file: { status?: string; message?: string } = {},
): { code: number | null; out: string; last: string } {
  const report = {
    testResults: [
      {
        name: '/repo/test/x.test.ts',
        status: file.status ?? 'passed',
        message: file.message ?? '',
        assertionResults: tests.map(([fullName, status]) => ({
          fullName,
          title: fullName,
          status,
        })),
      },
    ],
  };
  const reportPath = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(reportPath, JSON.stringify(report));
  const run = spawnSync(process.execPath, [script, reportPath], { encoding: 'utf8' });
  const lines = run.stdout.trim().split('\n');
  return { code: run.status, out: run.stdout + run.stderr, last: lines[lines.length - 1] ?? '' };
}

describe('scripts/check-test-report.js', () => {
  it('passes a clean run and allows only [electron] skips', () => {
    const result = check([
      ['a works', 'passed'],
      ['window opens [electron]', 'skipped'],
    ]);
    expect(result.code).toBe(0);
    expect(result.last).toBe('1 passed, 0 failed, 1 skipped');
  });

  it('fails on any other skip or todo and names missing tools', () => {
    const result = check([
      ['a works', 'passed'],
      ['sshd launcher [missing-tool: sshd] logs in', 'skipped'],
      ['later', 'todo'],
    ]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('logs in (missing tool)');
    expect(result.out).toContain('later (todo)');
    expect(result.last).toBe('1 passed, 0 failed, 2 skipped');
  });

  it('fails when nothing ran, a test failed, or a file failed to load', () => {
    expect(check([]).code).toBe(1);
    expect(check([['a', 'skipped']]).out).toContain('No test passed');
    const failed = check([
      ['a', 'passed'],
      ['b', 'failed'],
    ]);
    expect(failed.code).toBe(1);
    expect(failed.last).toBe('1 passed, 1 failed, 0 skipped');
    const broken = check([['a', 'passed']], { status: 'failed', message: 'sshd is missing' });
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('sshd is missing');
    expect(broken.last).toBe('1 passed, 1 failed, 0 skipped');
  });

  it('fails with a plain message when the report is missing', () => {
    const run = spawnSync(process.execPath, [script, path.join(dir, 'none.json')], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Cannot read the test report/);
  });
});
