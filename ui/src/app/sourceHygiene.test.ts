// Scans the UI's own source. Customer text must never be rendered as HTML, and icons must not be
// emoji, which show as empty boxes on machines without an emoji font.
import { describe, expect, it } from 'vitest';

const svelteFiles = import.meta.glob('/src/**/*.svelte', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const scriptFiles = import.meta.glob(['/src/**/*.ts', '!/src/**/*.test.ts', '!/src/lib/bindings/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

function offendingLines(files: Record<string, string>, pattern: RegExp): string[] {
  const hits: string[] = [];
  for (const [path, source] of Object.entries(files)) {
    source.split('\n').forEach((line, i) => {
      if (pattern.test(line)) hits.push(`${path}:${i + 1}: ${line.trim()}`);
    });
  }
  return hits;
}

describe('UI source', () => {
  it('finds the Svelte files to scan', () => {
    expect(Object.keys(svelteFiles).length).toBeGreaterThan(10);
    expect(Object.keys(svelteFiles)).toContain('/src/app/App.svelte');
  });

  it('never renders HTML from strings ({@html} or innerHTML)', () => {
    expect(offendingLines(svelteFiles, /\{@html|innerHTML/)).toEqual([]);
  });

  it('clips overflowing text with overflow: clip, not hidden', () => {
    // WebDriver (and so every end-to-end test) reads text inside `overflow: hidden` as invisible,
    // so a row whose cells clip their text would have no readable text at all.
    expect(offendingLines(svelteFiles, /overflow(-x|-y)?:\s*hidden/)).toEqual([]);
  });

  it('uses no emoji (icons are inline SVG from Icon.svelte)', () => {
    const emoji = /\p{Extended_Pictographic}|\uFE0F/u;
    expect(offendingLines({ ...svelteFiles, ...scriptFiles }, emoji)).toEqual([]);
  });
});
