import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAckBatcher } from './ackBatcher';

describe('ack batcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sums rendered chunks into one ack per interval', () => {
    const sent: number[] = [];
    const batcher = createAckBatcher({ send: (n) => sent.push(n), intervalMs: 16 });
    batcher.add(10);
    batcher.add(20);
    batcher.add(5);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(15);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([35]);
    // Nothing pending: the timer does not fire an empty ack.
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([35]);
    batcher.add(7);
    vi.advanceTimersByTime(16);
    expect(sent).toEqual([35, 7]);
  });

  it('sends at once when the pending count reaches the limit', () => {
    const sent: number[] = [];
    const batcher = createAckBatcher({ send: (n) => sent.push(n), maxChars: 100 });
    batcher.add(60);
    batcher.add(50);
    expect(sent).toEqual([110]);
    expect(batcher.pending).toBe(0);
    // The timer armed by the first add was cleared, so no stray empty send follows.
    vi.advanceTimersByTime(50);
    expect(sent).toEqual([110]);
  });

  it('flushes on demand and ignores zero-length chunks', () => {
    const sent: number[] = [];
    const batcher = createAckBatcher({ send: (n) => sent.push(n) });
    batcher.add(0);
    batcher.flush();
    expect(sent).toEqual([]);
    batcher.add(3);
    batcher.flush();
    expect(sent).toEqual([3]);
    vi.advanceTimersByTime(50);
    expect(sent).toEqual([3]);
  });

  it('sends nothing after dispose', () => {
    const sent: number[] = [];
    const batcher = createAckBatcher({ send: (n) => sent.push(n) });
    batcher.add(42);
    batcher.dispose();
    vi.advanceTimersByTime(50);
    batcher.add(1);
    batcher.flush();
    expect(sent).toEqual([]);
  });

  it('acknowledges every character of a long stream exactly once', () => {
    let total = 0;
    let messages = 0;
    const batcher = createAckBatcher({
      send: (n) => {
        total += n;
        messages++;
      },
    });
    for (let i = 0; i < 10_000; i++) {
      batcher.add(1000);
      if (i % 50 === 0) vi.advanceTimersByTime(16);
    }
    batcher.flush();
    expect(total).toBe(10_000_000);
    // 64k batches plus one per timer tick: a few hundred messages for 10,000 chunks.
    expect(messages).toBeLessThan(500);
  });
});
