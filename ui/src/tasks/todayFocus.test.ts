import { describe, expect, it } from 'vitest';
import { focusTaskAfter, nextTaskAfter, rememberTaskOrder, takeFocusTarget } from './todayFocus';

describe('nextTaskAfter', () => {
  it('goes on with the task that followed, skipping those no longer shown', () => {
    expect(nextTaskAfter(['a', 'b', 'c', 'd'], 'b', ['a', 'c', 'd'])).toBe('c');
    expect(nextTaskAfter(['a', 'b', 'c', 'd'], 'b', ['a', 'd'])).toBe('d');
  });

  it('goes on with the next one even when the task itself is still shown', () => {
    expect(nextTaskAfter(['a', 'b', 'c'], 'b', ['a', 'b', 'c'])).toBe('c');
  });

  it('goes back to the nearest task above after the last one', () => {
    expect(nextTaskAfter(['a', 'b', 'c'], 'c', ['a', 'b'])).toBe('b');
  });

  it('falls back to the first shown task, or nothing', () => {
    expect(nextTaskAfter([], 'x', ['n', 'm'])).toBe('n');
    expect(nextTaskAfter(['a'], 'a', [])).toBeNull();
  });
});

describe('takeFocusTarget', () => {
  it('answers once, and only after a focus was asked for', () => {
    expect(takeFocusTarget(['a', 'b'])).toBeNull();
    rememberTaskOrder(['a', 'b', 'c']);
    focusTaskAfter('a');
    expect(takeFocusTarget(['b', 'c'])).toBe('b');
    expect(takeFocusTarget(['b', 'c'])).toBeNull();
  });
});
