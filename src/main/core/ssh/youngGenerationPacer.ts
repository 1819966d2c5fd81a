/**
 * Runs a minor (young-generation) GC after every few megabytes an SSH connection reads.
 *
 * Why: SSH traffic arrives in buffers that V8 accounts as external memory, and V8 starts a full
 * mark-compact once external memory has grown by roughly the old generation's headroom (8–16 MB
 * for a small heap) since the last one. Its own minor GCs are paced by JS object allocation, which
 * is tiny per megabyte of traffic, so at 300 MB/s they came every ~20 MB read: the full GC always
 * came first, every ~60 ms, and took a quarter of the process's CPU (perf, `-L` direct).
 * A minor GC frees the buffers already forwarded (they die young) and costs ~0.5 ms; every 4 MB
 * it keeps the external growth under the headroom. Measured on `-L` direct, 200 MiB: full GCs
 * 60 → 4 per run, OneHop CPU 2.9 → 1.9 ms per MB. Much shorter intervals backfire: buffers still in
 * flight survive two minor GCs and are promoted, which brings the full GCs back.
 *
 * The GC function comes from V8's --expose-gc flag set at run time, reached through a fresh vm
 * context so no global `gc` appears; if the runtime refuses, pacing is simply off.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const INTERVAL_BYTES = 4 * 1024 * 1024;

type MinorGc = () => void;

let collect: MinorGc | null | undefined;
let sinceLast = 0;

function minorGc(): MinorGc | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    collect =
      typeof gc === 'function'
        ? () => (gc as (options: { type: 'minor' }) => void)({ type: 'minor' })
        : null;
  } catch {
    collect = null;
  }
  return collect;
}

/** Counts bytes read from an SSH transport; every INTERVAL_BYTES runs a minor GC. */
export function noteTransportBytesRead(bytes: number): void {
  sinceLast += bytes;
  if (sinceLast < INTERVAL_BYTES) return;
  sinceLast = 0;
  minorGc()?.();
}
