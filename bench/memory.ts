/** A process's memory as the bench reports it, measured in the process being measured. */
import type { MemorySample } from './protocol';

export function sampleMemory(): MemorySample {
  // Two passes: the first frees objects whose finalisers release more.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
  };
}
