/**
 * The cap as typed: a whole number of messages from 0 (0 is "no limit"), or null when the text is
 * not one. The upper bound is the backend's to check (it answers `frequency_cap.out_of_range`).
 */
export function parseFrequencyCap(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) ? n : null;
}
