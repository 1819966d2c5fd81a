/**
 * Tunes V8's garbage collector for SSH traffic, from the first bytes an SSH connection reads:
 * a minor (young-generation) GC after every 4 MB read, and a wider old-generation headroom.
 *
 * Why: SSH traffic arrives in buffers that V8 accounts as external memory, and V8 starts a full
 * mark-compact once the old generation's headroom, less the young generation's capacity, is used
 * up — and external memory allocated since the last mark-compact counts against that headroom.
 * Two measured consequences (`npm run bench`, 200 MiB tunnels):
 *
 * 1. V8's own minor GCs are paced by JS object allocation, which is tiny per megabyte of traffic:
 *    at 300 MB/s they came every ~20 MB read, so the full GC always came first, every ~60 ms, and
 *    took a quarter of the process's CPU. A minor GC frees the buffers already forwarded (they
 *    die young) and costs ~0.5 ms; every 4 MB: full GCs per `-L` direct run 60 → 4, OneHop CPU per
 *    MB 2.9 → 1.9 ms. Much shorter intervals backfire: buffers still in flight survive two minor
 *    GCs and are promoted, which brings the full GCs back.
 * 2. Once a process has grown its young generation (after a burst of work, e.g. opening shells),
 *    the headroom left over it is a few MB: V8 sizes the old generation's limit for the JS heap
 *    (~1.1–1.9× of a ~9 MB live heap here), not for tens of MB of buffers in flight through a jump
 *    (two 2 MiB windows, inner packets copied out of outer ones). Full GCs through the jump came
 *    back: ~130 per bench run. Growing the limit by 200% of the live heap — within the 1.1–4×
 *    range V8 itself picks from — brings them to ~15 and OneHop's CPU per MB down ~25–35%
 *    (through the jump: per-CPU ratio vs OpenSSH 0.9 → 1.2–1.4); 100% was not enough (~100).
 *    The cost is garbage the old generation may hold before it is collected (3× the live heap at
 *    most); the bench's memory rows did not move.
 *
 * Both are set at run time (v8.setFlagsFromString; V8 reads the growing factor at every limit
 * computation). The GC function comes from --expose-gc, reached through a fresh vm context so no
 * global `gc` appears; if the runtime refuses a flag, that part of the tuning is simply off.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const MINOR_GC_INTERVAL_BYTES = 4 * 1024 * 1024;
const OLD_GENERATION_GROWING_PERCENT = 200;

type MinorGc = () => void;

let collect: MinorGc | null | undefined;
let sinceLast = 0;

/** Sets the tuning up once, from the first bytes read; `collect` says it has run. */
function tune(): void {
  try {
    setFlagsFromString(`--heap-growing-percent=${String(OLD_GENERATION_GROWING_PERCENT)}`);
  } catch {
    // Tuning is an optimisation; without it the engine works as before.
  }
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
}

/** Counts bytes read from an SSH transport; every 4 MB runs a minor GC. */
export function noteTransportBytesRead(bytes: number): void {
  if (collect === undefined) tune();
  sinceLast += bytes;
  if (sinceLast < MINOR_GC_INTERVAL_BYTES) return;
  sinceLast = 0;
  collect?.();
}
