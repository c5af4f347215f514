// Asking again and again while something moves, without overlapping: the next ask waits for the
// previous answer, so a slow answer is never overtaken (and thrown away) by the next one.

/**
 * Calls `ask` `ms` after the previous call settled, until the returned function is called (e.g.
 * by an effect's cleanup).
 */
export function pollAfterEach(ask: () => Promise<unknown>, ms: number): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    try {
      await ask();
    } catch {
      // The caller words its own failures; the next tick asks again.
    }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  timer = setTimeout(tick, ms);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
