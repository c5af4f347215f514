import { describe, expect, it } from 'vitest';
import { dictionaries, langFromLocale, translate } from './i18n';

describe('dictionaries', () => {
  it('have exactly the same keys in both languages', () => {
    expect(Object.keys(dictionaries.vi).sort()).toEqual(Object.keys(dictionaries.en).sort());
  });

  it('have no empty messages', () => {
    for (const dictionary of Object.values(dictionaries)) {
      for (const [key, message] of Object.entries(dictionary)) {
        expect(message.trim(), key).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(dictionaries.en) as (keyof typeof dictionaries.en)[]) {
      expect(placeholders(dictionaries.vi[key]), key).toEqual(placeholders(dictionaries.en[key]));
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
