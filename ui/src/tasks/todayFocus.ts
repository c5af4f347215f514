// Today is unmounted while the customer of a task is open. This remembers the order its tasks
// were shown in, so that after a call logged from a task the salesperson lands on the next task
// rather than at the top of the list.

let shownOrder: string[] = [];
let pendingAfter: string | null = null;

/** Today calls this as it leaves for one of its tasks: the task ids in the order shown. */
export function rememberTaskOrder(ids: readonly string[]): void {
  shownOrder = [...ids];
}

/** Asks Today to focus the task after `taskId` the next time it shows its tasks. */
export function focusTaskAfter(taskId: string): void {
  pendingAfter = taskId;
}

/** The task Today should focus among those it now shows, once; null when nothing was asked. */
export function takeFocusTarget(shown: readonly string[]): string | null {
  if (pendingAfter === null) return null;
  const target = nextTaskAfter(shownOrder, pendingAfter, shown);
  pendingAfter = null;
  return target;
}

/**
 * The task to go on with after `doneId`: the first one that followed it in `before` and is still
 * shown, else the nearest one above it, else the first shown; null when nothing is shown.
 */
export function nextTaskAfter(before: readonly string[], doneId: string, shown: readonly string[]): string | null {
  const visible = new Set(shown);
  const index = before.indexOf(doneId);
  if (index >= 0) {
    const after = before.slice(index + 1).find((id) => visible.has(id));
    if (after !== undefined) return after;
    const above = before
      .slice(0, index)
      .reverse()
      .find((id) => visible.has(id));
    if (above !== undefined) return above;
  }
  return shown.find((id) => id !== doneId) ?? shown[0] ?? null;
}
