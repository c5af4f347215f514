// Global single-key shortcuts. They are ignored while the user types, so "n" in a name field
// stays a letter.

export type ShortcutActions = {
  focusSearch(): void;
  newCustomer(): void;
  logInteraction(): void;
  composeMessage(): void;
  goToday(): void;
  goCustomers(): void;
  /** "g" then "d" (chiến dịch): segments and campaigns. */
  goCampaigns(): void;
  toggleHelp(): void;
  escape(): void;
};

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(type);
}

const SEQUENCE_TIMEOUT_MS = 1200;

/** Builds a keydown handler; "g" starts a two-key sequence like "g t". */
export function createShortcutHandler(actions: ShortcutActions): (event: KeyboardEvent) => void {
  let pendingG = 0;

  return (event: KeyboardEvent) => {
    const ctrl = event.ctrlKey || event.metaKey;
    const key = event.key;

    // Escape has to work from inside form fields too, which is where it is needed most.
    if (key === 'Escape') {
      actions.escape();
      return;
    }
    if (ctrl && !event.altKey && (key === 'k' || key === 'K')) {
      event.preventDefault();
      actions.focusSearch();
      return;
    }
    if (ctrl && !event.altKey && (key === 'n' || key === 'N')) {
      event.preventDefault();
      actions.newCustomer();
      return;
    }
    if (event.altKey && !ctrl && (event.code === 'Digit1' || event.code === 'Digit2')) {
      event.preventDefault();
      if (event.code === 'Digit1') actions.goToday();
      else actions.goCustomers();
      return;
    }

    if (ctrl || event.altKey || isTypingTarget(event.target)) return;

    if (pendingG && Date.now() - pendingG < SEQUENCE_TIMEOUT_MS) {
      pendingG = 0;
      if (key === 't') {
        event.preventDefault();
        actions.goToday();
      } else if (key === 'c') {
        event.preventDefault();
        actions.goCustomers();
      } else if (key === 'd') {
        event.preventDefault();
        actions.goCampaigns();
      }
      return;
    }
    pendingG = 0;

    switch (key) {
      case 'g':
        pendingG = Date.now();
        break;
      case '/':
        event.preventDefault();
        actions.focusSearch();
        break;
      case 'n':
        event.preventDefault();
        actions.newCustomer();
        break;
      case 'l':
        event.preventDefault();
        actions.logInteraction();
        break;
      case 'm':
        event.preventDefault();
        actions.composeMessage();
        break;
      case '?':
        event.preventDefault();
        actions.toggleHelp();
        break;
    }
  };
}
