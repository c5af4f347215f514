// Scans the UI's own source. Customer text must never be rendered as HTML, and icons must not be
// emoji, which show as empty boxes on machines without an emoji font. Only the backend module
// calls Tauri, so tests can swap the whole backend for a mock.
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

  it('calls Tauri only from the backend module (lib/backend/call.ts)', () => {
    const tauri = /@tauri-apps\//;
    const hits = offendingLines({ ...svelteFiles, ...scriptFiles }, tauri).filter(
      (hit) => !hit.startsWith('/src/lib/backend/call.ts:') && !hit.startsWith('/src/test/setup.ts:'),
    );
    expect(hits).toEqual([]);
    expect(offendingLines({ '/src/lib/backend/call.ts': scriptFiles['/src/lib/backend/call.ts'] ?? '' }, tauri)).not.toEqual([]);
  });

  it('uses no emoji (icons are inline SVG from Icon.svelte)', () => {
    const emoji = /\p{Extended_Pictographic}|\uFE0F/u;
    expect(offendingLines({ ...svelteFiles, ...scriptFiles }, emoji)).toEqual([]);
  });

  it('words errors from their key: no UI code reads or parses the English message', () => {
    // The backend's `message` is English and for logs; lib/errorText.ts words every error from
    // its key and params. Only the backend module, which builds BackendErrors, touches `message`.
    const outsideBackend = Object.fromEntries(
      Object.entries({ ...svelteFiles, ...scriptFiles }).filter(([path]) => !path.startsWith('/src/lib/backend/')),
    );
    const messageRead = /(?:\w*(?:error|Error|err|Err)|\be|\))\??\.message\b/;
    expect(offendingLines(outsideBackend, messageRead)).toEqual([]);
    const oldParsers = /\bquotedValue\b|\bphoneProblem\b|\bfieldErrorMessage\b|lib\/fieldErrors|\(\?:step\|bước\)/;
    expect(offendingLines(outsideBackend, oldParsers)).toEqual([]);
  });
});
