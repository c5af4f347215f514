import { describe, expect, it } from 'vitest';
import { isStructurallySame, parse } from '@formatjs/icu-messageformat-parser';
import { dictionaries, langFromLocale, parameterNames, translate, type MessageKey } from './i18n';
import en from '../messages/en.json';
import vi from '../messages/vi.json';

const keys = Object.keys(dictionaries.en) as MessageKey[];
// As the UI compiles them: an angle bracket is text, not a tag.
const parseMessage = (message: string) => parse(message, { ignoreTag: true });

describe('message catalogs', () => {
  it('are the JSON files, one per language', () => {
    expect(dictionaries.en).toBe(en);
    expect(dictionaries.vi).toBe(vi);
  });

  it('have exactly the same keys in both languages', () => {
    expect(Object.keys(vi).sort()).toEqual(Object.keys(en).sort());
  });

  it('have no empty messages', () => {
    for (const catalog of Object.values(dictionaries)) {
      for (const [key, message] of Object.entries(catalog)) {
        expect(message.trim(), key).not.toBe('');
      }
    }
  });

  it('hold valid ICU messages', () => {
    for (const catalog of Object.values(dictionaries)) {
      for (const [key, message] of Object.entries(catalog)) {
        expect(() => parseMessage(message), key).not.toThrow();
      }
    }
  });

  it('use the same parameter names, of the same kinds, in both languages', () => {
    for (const key of keys) {
      const english = parseMessage(dictionaries.en[key]);
      const vietnamese = parseMessage(dictionaries.vi[key]);
      expect([...parameterNames(vietnamese)].sort(), key).toEqual([...parameterNames(english)].sort());
      expect(isStructurallySame(english, vietnamese).success, key).toBe(true);
    }
  });

  it('give every English plural both a `one` and an `other` form, and Vietnamese an `other`', () => {
    const pluralOptions = (message: string) => [...message.matchAll(/\{(\w+), plural,/g)].map((m) => m[1]);
    for (const key of keys) {
      if (pluralOptions(dictionaries.en[key]).length === 0) continue;
      expect(dictionaries.en[key], key).toMatch(/\bone \{/);
      expect(dictionaries.en[key], key).toMatch(/\bother \{/);
      expect(dictionaries.vi[key], key).toMatch(/\bother \{/);
    }
  });
});

describe('translate', () => {
  it('fills in parameters', () => {
    expect(translate('vi', 'customers.noMatch', { query: 'Lan' })).toBe(
      'Không có khách hàng nào khớp với “Lan”',
    );
    expect(translate('en', 'today.showing', { shown: 200, total: 812 })).toBe('showing 200 of 812');
  });

  it('leaves unknown placeholders visible rather than blank', () => {
    expect(translate('en', 'customers.noMatch')).toBe('No customer matches “{query}”');
  });

  it('keeps apostrophes as plain text', () => {
    expect(translate('en', 'today.caughtUp')).toBe("Nothing due — you're all caught up");
  });

  it('picks the English plural form for 0, 1 and 2', () => {
    const counts = [0, 1, 2].map((count) => translate('en', 'customers.count', { count }));
    expect(counts).toEqual(['0 customers', '1 customer', '2 customers']);
    expect([0, 1, 2].map((n) => translate('en', 'step.summary.days', { n }))).toEqual(['0 days', '1 day', '2 days']);
    expect(translate('en', 'bulk.report', { enrolled: 1, already: 2 })).toBe(
      'Enrolled 1 customer, 2 were already in it',
    );
    expect(translate('en', 'bulk.report', { enrolled: 2, already: 1 })).toBe(
      'Enrolled 2 customers, 1 was already in it',
    );
  });

  it('has one form in Vietnamese', () => {
    const counts = [0, 1, 2].map((count) => translate('vi', 'customers.count', { count }));
    expect(counts).toEqual(['0 khách hàng', '1 khách hàng', '2 khách hàng']);
    expect([0, 1, 2].map((n) => translate('vi', 'step.summary.days', { n }))).toEqual(['0 ngày', '1 ngày', '2 ngày']);
  });

  it('groups large counts the Vietnamese way in both languages', () => {
    expect(translate('en', 'customers.count', { count: 1200 })).toBe('1.200 customers');
    expect(translate('vi', 'outbox.count', { count: 12000 })).toBe('12.000 tin nhắn');
  });

  it('takes counts written as decimal strings', () => {
    expect(translate('en', 'customers.count', { count: '1' })).toBe('1 customer');
    expect(translate('en', 'customers.count', { count: '3' })).toBe('3 customers');
  });
});

const sources = import.meta.glob(['/src/**/*.ts', '/src/**/*.svelte', '!/src/**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

describe('message keys in the source', () => {
  it('all exist in the catalogs', () => {
    // `$t('key'`, `get(t)('key'`, `translate(lang, 'key'`: every literal key the UI asks for.
    const call = /(?:\$t|\bt\)|\btranslate)\(\s*(?:[\w$.]+\s*,\s*)?'([\w.]+)'/g;
    const used = new Set<string>();
    for (const source of Object.values(sources)) {
      for (const match of source.matchAll(call)) used.add(match[1]);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((key) => !(key in en))).toEqual([]);
  });
});

describe('langFromLocale', () => {
  it('picks Vietnamese for any vi locale', () => {
    expect(langFromLocale('vi-VN')).toBe('vi');
    expect(langFromLocale('vi')).toBe('vi');
    expect(langFromLocale('VI-vn')).toBe('vi');
  });

  it('falls back to English', () => {
    expect(langFromLocale('en-US')).toBe('en');
    expect(langFromLocale('fr-FR')).toBe('en');
    expect(langFromLocale('')).toBe('en');
    expect(langFromLocale(undefined)).toBe('en');
  });
});
