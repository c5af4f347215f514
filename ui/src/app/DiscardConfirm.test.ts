import { fireEvent, render, screen } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lang } from '../lib/i18n';
import { discardRequest, keepEditing, leaveUnsaved } from '../lib/unsavedChanges';
import DiscardConfirm from './DiscardConfirm.svelte';

afterEach(() => keepEditing());

describe('DiscardConfirm', () => {
  it('asks in the app, in both languages, and keeps the keyboard to itself while open', async () => {
    lang.set('en');
    const underneath = vi.fn();
    window.addEventListener('keydown', underneath);
    render(DiscardConfirm);
    expect(screen.queryByTestId('form-discard')).toBeNull();

    const leave = vi.fn();
    leaveUnsaved(leave, () => true);
    const dialog = await screen.findByTestId('form-discard');
    expect(dialog.getAttribute('role')).toBe('alertdialog');
    expect(dialog.textContent).toContain('Discard unsaved changes?');
    const keep = screen.getByTestId('form-discard-keep');
    const discard = screen.getByTestId('form-discard-confirm');
    expect(keep.textContent).toBe('Keep editing');
    expect(discard.textContent).toBe('Discard changes');
    expect(document.activeElement).toBe(keep);

    // Tab stays between the two answers; shortcuts and Escape do not reach the screen below.
    await fireEvent.keyDown(keep, { key: 'Tab' });
    expect(document.activeElement).toBe(discard);
    await fireEvent.keyDown(discard, { key: 'Tab' });
    expect(document.activeElement).toBe(keep);
    await fireEvent.keyDown(keep, { key: 'n' });
    await fireEvent.keyDown(keep, { key: 'Escape' });
    expect(underneath).not.toHaveBeenCalled();
    expect(get(discardRequest)).toBeNull();
    expect(leave).not.toHaveBeenCalled();

    lang.set('vi');
    leaveUnsaved(leave, () => true);
    await fireEvent.click(await screen.findByTestId('form-discard-confirm'));
    expect(leave).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('form-discard')).toBeNull();

    // Closed, it lets keys through again.
    await fireEvent.keyDown(document.body, { key: 'n' });
    expect(underneath).toHaveBeenCalledTimes(1);
    window.removeEventListener('keydown', underneath);
  });
});
