// The UI's words live in one catalog per language, src/messages/<lang>.json, written in ICU
// MessageFormat: "{name}" takes a parameter, and a count picks its form with
// "{count, plural, one {# customer} other {# customers}}" (Vietnamese only needs `other`).
// intl-messageformat compiles a message the first time it is shown in a language, then reuses it.
import { derived, writable } from 'svelte/store';
import { IntlMessageFormat } from 'intl-messageformat';
import {
  isLiteralElement,
  isPluralElement,
  isPoundElement,
  isSelectElement,
  isTagElement,
  type MessageFormatElement,
} from '@formatjs/icu-messageformat-parser';
import en from '../messages/en.json';
import vi from '../messages/vi.json';
import { numberFormat } from './format';

export type Lang = 'vi' | 'en';

export type MessageKey = keyof typeof en;
type Catalog = Record<MessageKey, string>;

// Typed as the full key set: a key that Vietnamese lacks fails type checking.
export const dictionaries: Record<Lang, Catalog> = { en, vi };

export type Params = Record<string, string | number>;

const pluralRules = new Map<string, Intl.PluralRules>();

/** Numbers in messages (plural `#` included) are grouped like every other number in the UI. */
const formatters = {
  getNumberFormat: (_locales?: string | string[], options?: Intl.NumberFormatOptions) => numberFormat(options),
  getDateTimeFormat: (...args: ConstructorParameters<typeof Intl.DateTimeFormat>) => new Intl.DateTimeFormat(...args),
  getPluralRules: (...args: ConstructorParameters<typeof Intl.PluralRules>) => {
    const [locales, options] = args;
    const id = `${String(locales)}|${options?.type ?? 'cardinal'}`;
    let rules = pluralRules.get(id);
    if (!rules) {
      rules = new Intl.PluralRules(...args);
      pluralRules.set(id, rules);
    }
    return rules;
  },
};

type Compiled = { format: IntlMessageFormat; names: string[] };

const compiled: Record<Lang, Map<MessageKey, Compiled>> = { en: new Map(), vi: new Map() };

/** Every parameter a message reads, including those inside plural and select branches. */
export function parameterNames(elements: MessageFormatElement[], into: Set<string> = new Set()): Set<string> {
  for (const element of elements) {
    if (isLiteralElement(element) || isPoundElement(element)) continue;
    if (isTagElement(element)) {
      parameterNames(element.children, into);
      continue;
    }
    into.add(element.value);
    if (isPluralElement(element) || isSelectElement(element)) {
      for (const option of Object.values(element.options)) parameterNames(option.value, into);
    }
  }
  return into;
}

function compile(lang: Lang, key: MessageKey): Compiled {
  let entry = compiled[lang].get(key);
  if (!entry) {
    // `ignoreTag`: an angle bracket in a message is just text.
    const format = new IntlMessageFormat(dictionaries[lang][key], lang, undefined, { formatters, ignoreTag: true });
    entry = { format, names: [...parameterNames(format.getAst())] };
    compiled[lang].set(key, entry);
  }
  return entry;
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const { format, names } = compile(lang, key);
  // A parameter the caller left out stays visible as "{name}" rather than blank.
  const values: Params = {};
  for (const name of names) values[name] = params && name in params ? params[name] : `{${name}}`;
  return String(format.format(values));
}

/** Vietnamese for any "vi…" locale, English otherwise. */
export function langFromLocale(locale: string | null | undefined): Lang {
  return locale && locale.toLowerCase().startsWith('vi') ? 'vi' : 'en';
}

const STORAGE_KEY = 'tend.lang';

function storedLang(): Lang | null {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return value === 'vi' || value === 'en' ? value : null;
  } catch {
    return null;
  }
}

export const lang = writable<Lang>(
  storedLang() ?? langFromLocale(globalThis.navigator?.language),
);

/** The user's explicit choice wins over the OS locale from then on. */
export function chooseLang(value: Lang): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, value);
  } catch {
    // Private mode or a locked-down webview: the choice just lasts for this session.
  }
  lang.set(value);
}

/** Applies the OS locale reported by the backend unless the user picked a language before. */
export function adoptLocale(locale: string): void {
  if (storedLang() === null) lang.set(langFromLocale(locale));
}

export const t = derived(
  lang,
  ($lang) =>
    (key: MessageKey, params?: Params): string =>
      translate($lang, key, params),
);
