// Long notes and interaction texts. The backend refuses more than MAX_TEXT_CHARS characters; well
// before that the forms suggest a summary, and the timeline folds long entries to their start.

/** From this length on, the forms suggest writing a summary instead. */
export const LONG_TEXT_CHARS = 5_000;
/** The backend's hard limit (`interaction.content_too_long`, `note.too_long`). */
export const MAX_TEXT_CHARS = 20_000;

/** Characters as the backend counts them: Unicode characters of the trimmed text. */
export function textLength(text: string): number {
  return [...text.trim()].length;
}

/** The length to warn about, or null when the text is short enough to need no warning. */
export function longTextWarning(text: string): number | null {
  // Runs on every keystroke: a string this short in UTF-16 units cannot be long in characters.
  if (text.length <= LONG_TEXT_CHARS) return null;
  const length = textLength(text);
  return length > LONG_TEXT_CHARS ? length : null;
}

/** A timeline entry longer than this many characters or lines is folded. */
export const FOLD_ABOVE_CHARS = 600;
export const FOLD_ABOVE_LINES = 8;
// What a folded entry shows: enough to recognise it, clearly less than the whole.
const FOLDED_CHARS = 400;
const FOLDED_LINES = 5;

/** The start of `text` to show while it is folded, or null when it is short enough to show whole. */
export function foldedStart(text: string): string | null {
  const lines = text.split('\n');
  if (lines.length <= FOLD_ABOVE_LINES && [...text].length <= FOLD_ABOVE_CHARS) return null;
  let start = lines.slice(0, FOLDED_LINES).join('\n');
  const chars = [...start];
  if (chars.length > FOLDED_CHARS) {
    start = chars.slice(0, FOLDED_CHARS).join('');
    // End on a whole word when one ends reasonably close to the cut.
    const lastSpace = start.search(/\s\S*$/);
    if (lastSpace > start.length * 0.8) start = start.slice(0, lastSpace);
  }
  return `${start.trimEnd()}…`;
}
