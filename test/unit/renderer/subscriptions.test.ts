import { afterEach, describe, expect, it, vi } from 'vitest';
import { debounced, subscriptions } from '../../../renderer/src/stores/subscriptions.js';

describe('store subscriptions', () => {
  it('are taken once and dropped together', () => {
    const events = subscriptions();
    const dropped: string[] = [];
    const subscribe = vi.fn(() => [() => dropped.push('run'), () => dropped.push('job')]);
    expect(events.take(subscribe)).toBe(true);
    expect(events.take(subscribe)).toBe(false);
    expect(subscribe).toHaveBeenCalledTimes(1);
    events.drop();
    expect(dropped).toEqual(['run', 'job']);
    events.drop();
    expect(dropped).toEqual(['run', 'job']);
    expect(events.take(subscribe)).toBe(true);
    expect(subscribe).toHaveBeenCalledTimes(2);
  });
});

describe('debounced', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls once, after the last call of a burst; cancel drops the pending call', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const reload = debounced(fn, 300);
    reload();
    vi.advanceTimersByTime(200);
    reload();
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    reload();
    reload.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
