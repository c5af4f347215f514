/**
 * Keeps Tab inside an open dialog: from its last control Tab goes to the first, and from the
 * first (or the dialog itself) Shift+Tab goes to the last. Call it for Tab keydowns only.
 */
export function keepTabInside(event: KeyboardEvent, dialog: HTMLElement) {
  const focusable = [
    ...dialog.querySelectorAll<HTMLElement>('select, input, textarea, button'),
  ].filter((element) => !(element as HTMLButtonElement).disabled);
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const active = document.activeElement;
  if (event.shiftKey && (active === first || active === dialog)) {
    event.preventDefault();
    last?.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first?.focus();
  }
}
