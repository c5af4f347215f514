import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pollAfterEach } from './poll';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('pollAfterEach', () => {
  it('asks again only once the previous answer came, however slow it is', async () => {
    const answers: (() => void)[] = [];
    const ask = vi.fn(() => new Promise<void>((resolve) => answers.push(resolve)));
    const stop = pollAfterEach(ask, 1000);

    expect(ask).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(ask).toHaveBeenCalledTimes(1);
    // A slow answer: no second ask piles up over it.
    await vi.advanceTimersByTimeAsync(5000);
    expect(ask).toHaveBeenCalledTimes(1);
    answers[0]();
    await vi.advanceTimersByTimeAsync(999);
    expect(ask).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(ask).toHaveBeenCalledTimes(2);
    stop();
  });

  it('goes on after a failed ask, and stops when told, even with an answer on its way', async () => {
    let fail = true;
    const answers: (() => void)[] = [];
    const ask = vi.fn(() =>
      fail ? Promise.reject(new Error('offline')) : new Promise<void>((resolve) => answers.push(resolve)),
    );
    const stop = pollAfterEach(ask, 500);
    await vi.advanceTimersByTimeAsync(500);
    expect(ask).toHaveBeenCalledTimes(1);
    fail = false;
    await vi.advanceTimersByTimeAsync(500);
    expect(ask).toHaveBeenCalledTimes(2);
    stop();
    answers[0]();
    await vi.advanceTimersByTimeAsync(5000);
    expect(ask).toHaveBeenCalledTimes(2);
  });
});
