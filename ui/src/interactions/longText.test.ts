import { describe, expect, it } from 'vitest';
import { FOLD_ABOVE_CHARS, FOLD_ABOVE_LINES, LONG_TEXT_CHARS, foldedStart, longTextWarning, textLength } from './longText';

describe('long texts', () => {
  it('counts characters as the backend does: Unicode characters of the trimmed text', () => {
    expect(textLength('  Chào chị  ')).toBe(8);
    // One character, two UTF-16 units.
    expect(textLength('𝔸')).toBe(1);
  });

  it('warns only above 5,000 characters', () => {
    expect(longTextWarning('a'.repeat(LONG_TEXT_CHARS))).toBeNull();
    expect(longTextWarning('a'.repeat(LONG_TEXT_CHARS + 1))).toBe(LONG_TEXT_CHARS + 1);
    // Blank space around the text is not kept, so it does not count.
    expect(longTextWarning(`${'a'.repeat(LONG_TEXT_CHARS)}\n\n\n`)).toBeNull();
    // 3,000 characters of 2 units each: long in units, short in characters.
    expect(longTextWarning('𝔸'.repeat(3000))).toBeNull();
  });

  it('leaves short entries whole', () => {
    expect(foldedStart('Gọi lại tuần sau')).toBeNull();
    expect(foldedStart('x'.repeat(FOLD_ABOVE_CHARS))).toBeNull();
    expect(foldedStart(Array.from({ length: FOLD_ABOVE_LINES }, (_, i) => `dòng ${i + 1}`).join('\n'))).toBeNull();
  });

  it('folds an entry with many lines to its first lines', () => {
    const text = Array.from({ length: 12 }, (_, i) => `dòng ${i + 1}`).join('\n');
    expect(foldedStart(text)).toBe('dòng 1\ndòng 2\ndòng 3\ndòng 4\ndòng 5…');
  });

  it('folds a long paragraph at a word boundary, well short of the whole', () => {
    const text = 'Khách hỏi về báo giá mới. '.repeat(40);
    const start = foldedStart(text);
    expect(start).not.toBeNull();
    expect(start!.endsWith('…')).toBe(true);
    expect(start!.length).toBeLessThanOrEqual(401);
    expect(start!.length).toBeGreaterThan(300);
    expect(text.startsWith(start!.slice(0, -1))).toBe(true);
    // The cut falls between words.
    expect(text.charAt(start!.length - 1)).toMatch(/\s/);
  });
});
