import { get } from 'svelte/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { goBack, navigate, route } from './router';
import { discardChanges, discardRequest, hasUnsavedChanges, keepEditing, leaveUnsaved, trackUnsaved } from './unsavedChanges';

let untrack: (() => void)[] = [];

function form(dirty: boolean) {
  const state = { dirty };
  untrack.push(trackUnsaved(() => state.dirty));
  return state;
}

afterEach(() => {
  untrack.forEach((stop) => stop());
  untrack = [];
  keepEditing();
  route.set({ name: 'today' });
});

describe('unsaved changes', () => {
  it('leaves at once when no form on screen has changes', () => {
    form(false);
    const leave = vi.fn();
    leaveUnsaved(leave);
    expect(leave).toHaveBeenCalledTimes(1);
    expect(get(discardRequest)).toBeNull();
  });

  it('asks when a form has changes, and leaves only once the changes are discarded', () => {
    form(false);
    form(true);
    expect(hasUnsavedChanges()).toBe(true);
    const leave = vi.fn();
    leaveUnsaved(leave);
    expect(leave).not.toHaveBeenCalled();
    expect(get(discardRequest)).not.toBeNull();

    keepEditing();
    expect(get(discardRequest)).toBeNull();
    expect(leave).not.toHaveBeenCalled();

    leaveUnsaved(leave);
    discardChanges();
    expect(leave).toHaveBeenCalledTimes(1);
    expect(get(discardRequest)).toBeNull();
  });

  it('asks only about the form named, so a cancel ignores a neighbour’s draft', () => {
    form(true);
    const leave = vi.fn();
    leaveUnsaved(leave, () => false);
    expect(leave).toHaveBeenCalledTimes(1);
  });

  it('forgets a form once it leaves the screen', () => {
    form(true);
    untrack.pop()?.();
    expect(hasUnsavedChanges()).toBe(false);
  });
});

describe('the router', () => {
  it('asks before navigating away from changes, and goes once discarded', () => {
    form(true);
    navigate({ name: 'customers' });
    expect(get(route)).toEqual({ name: 'today' });
    // Discarding navigates, and the router does not ask a second time.
    discardChanges();
    expect(get(route)).toEqual({ name: 'customers' });
    expect(get(discardRequest)).toBeNull();
  });

  it('asks before going back, and stays when the salesperson keeps editing', () => {
    navigate({ name: 'settings' });
    const settings = form(true);
    goBack();
    keepEditing();
    expect(get(route)).toEqual({ name: 'settings' });
    settings.dirty = false;
    goBack();
    expect(get(route)).toEqual({ name: 'today' });
  });

  it('does not ask when the screen stays mounted', () => {
    route.set({ name: 'customer', id: 'c1' });
    form(true);
    navigate({ name: 'customer', id: 'c1', logKind: 'call' });
    expect(get(discardRequest)).toBeNull();
    navigate({ name: 'customer', id: 'c2' });
    expect(get(discardRequest)).not.toBeNull();
  });
});
