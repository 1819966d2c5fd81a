import { constants, PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { noteTransportBytesRead } from './trafficGcTuning';

/** Minor GCs V8 reports while `run` executes (observer entries arrive asynchronously). */
async function minorGcsDuring(run: () => void): Promise<number> {
  let minors = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // A 'gc' entry's detail says which collector ran (not in Node's PerformanceEntry type).
      const { detail } = entry as unknown as { detail?: { kind?: number } };
      const kind = detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) minors++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  run();
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return minors;
}

describe('GC tuning for SSH traffic', () => {
  it('runs a minor GC for every 4 MB an SSH transport reads, not for less', async () => {
    // Warm up: the first call sets the flags up.
    noteTransportBytesRead(0);
    // 40 MiB in 1 MiB reads allocates almost no JS objects, so V8 alone would not collect.
    const paced = await minorGcsDuring(() => {
      for (let i = 0; i < 40; i++) noteTransportBytesRead(1024 * 1024);
    });
    expect(paced).toBeGreaterThanOrEqual(9);
    expect(paced).toBeLessThanOrEqual(12);
    // 3 MiB more after the last collection: below the interval, no collection of ours.
    const below = await minorGcsDuring(() => {
      for (let i = 0; i < 3; i++) noteTransportBytesRead(1024 * 1024);
    });
    expect(below).toBeLessThanOrEqual(1);
  });
});
