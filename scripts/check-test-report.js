#!/usr/bin/env node
/**
 * CI gate on vitest's JSON report: a test that did not run is not a pass.
 *
 * Fails when no test passed, when any test failed or a file failed to load, and when any test was
 * skipped or left as todo, except the Electron-only tests (title contains "[electron]"), which
 * need the Electron binary that cannot be downloaded on the build machines.
 *
 * Usage: node scripts/check-test-report.js [test-results/vitest.json]
 * Ends with one line: "N passed, N failed, N skipped".
 */
import { readFileSync } from 'node:fs';

const ALLOWED_SKIP_MARKER = '[electron]';
const MISSING_TOOL_MARKER = '[missing-tool';
const NOT_RUN = new Set(['skipped', 'pending', 'todo', 'disabled']);

const reportPath = process.argv[2] ?? 'test-results/vitest.json';

let report;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch (error) {
  console.error(
    `Cannot read the test report ${reportPath} (${error.message}); run the tests with the JSON reporter first.`,
  );
  process.exit(1);
}

let passed = 0;
let failed = 0;
let allowedSkips = 0;
const unexpected = [];
const failures = [];

for (const file of report.testResults ?? []) {
  const assertions = file.assertionResults ?? [];
  // A file that throws while loading (for example a missing tool in CI) has no assertions.
  if (file.status === 'failed' && !assertions.some((a) => a.status === 'failed')) {
    failed++;
    failures.push(`${file.name}: ${(file.message || 'failed to load').split('\n')[0]}`);
  }
  for (const test of assertions) {
    const name = test.fullName || [...(test.ancestorTitles ?? []), test.title].join(' ');
    if (test.status === 'passed') passed++;
    else if (test.status === 'failed') {
      failed++;
      failures.push(`${file.name}: ${name}`);
    } else if (NOT_RUN.has(test.status)) {
      if (name.includes(ALLOWED_SKIP_MARKER)) allowedSkips++;
      else {
        const why = name.includes(MISSING_TOOL_MARKER) ? 'missing tool' : test.status;
        unexpected.push(`${file.name}: ${name} (${why})`);
      }
    }
  }
}

const problems = [];
if (failures.length > 0) {
  problems.push(`${failures.length} failing test(s) or file(s):`, ...failures.map((f) => `  ${f}`));
}
if (unexpected.length > 0) {
  problems.push(
    `${unexpected.length} test(s) did not run; only "${ALLOWED_SKIP_MARKER}" tests may skip here:`,
    ...unexpected.map((u) => `  ${u}`),
  );
}
if (report.success === false && failures.length === 0) {
  problems.push('Vitest marked the run as failed (an unhandled error?); see its output above.');
}
if (passed === 0) problems.push('No test passed: the run collected nothing or everything failed.');

if (allowedSkips > 0) {
  console.log(
    `${allowedSkips} Electron-only test(s) skipped (no Electron binary on this machine).`,
  );
}
for (const line of problems) console.error(line);
console.log(`${passed} passed, ${failed} failed, ${unexpected.length + allowedSkips} skipped`);
process.exit(problems.length > 0 ? 1 : 0);
