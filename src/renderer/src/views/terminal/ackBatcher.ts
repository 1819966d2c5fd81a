/**
 * Flow control for terminal output: xterm calls back once it has rendered a `terminal.data`
 * chunk, and the core pauses the SSH channel while too many characters are unacknowledged. One
 * `terminal.ack` per rendered chunk would double the message count during a `cat`, so rendered
 * counts are summed and sent at most every `intervalMs`, or at once above `maxChars` (so a fast
 * stream never waits on the timer with a full window).
 */
export interface AckBatcherOptions {
  send: (chars: number) => void;
  intervalMs?: number;
  maxChars?: number;
  /** Injectable for tests; default `setTimeout` / `clearTimeout`. */
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface AckBatcher {
  /** Records `chars` rendered characters. */
  add(chars: number): void;
  /** Sends what is pending now. */
  flush(): void;
  /** Drops what is pending and stops the timer (the session is gone). */
  dispose(): void;
  readonly pending: number;
}

export const ACK_INTERVAL_MS = 16;
export const ACK_MAX_CHARS = 64 * 1024;

export function createAckBatcher(options: AckBatcherOptions): AckBatcher {
  const intervalMs = options.intervalMs ?? ACK_INTERVAL_MS;
  const maxChars = options.maxChars ?? ACK_MAX_CHARS;
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer =
    options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let pending = 0;
  let timer: unknown = null;
  let disposed = false;

  const flush = () => {
    if (timer !== null) {
      clearTimer(timer);
      timer = null;
    }
    if (pending === 0 || disposed) return;
    const chars = pending;
    pending = 0;
    options.send(chars);
  };

  return {
    get pending() {
      return pending;
    },
    add(chars) {
      if (disposed || chars <= 0) return;
      pending += chars;
      if (pending >= maxChars) flush();
      else if (timer === null) timer = setTimer(flush, intervalMs);
    },
    flush,
    dispose() {
      disposed = true;
      pending = 0;
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
}
