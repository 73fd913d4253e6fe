/**
 * The UI language: Hungarian or English, from the browser unless the user
 * picked one (remembered on the device). `t` reads reactive state, so text
 * in templates follows a switch without reload.
 */
import type { Language } from '@kaptar/board';
import { hu, type Message, type MessageKey } from './hu.js';

export type Locale = Language;
export type { MessageKey };

type Dictionary = Record<MessageKey, Message>;

const STORAGE_KEY = 'kaptar:locale';
/**
 * Hungarian comes with the first download (a workshop's phones speak it); English is fetched when a
 * device or a report needs it, keeping its words off every phone's first load.
 */
const loaders: Record<Locale, () => Promise<Dictionary>> = {
  hu: async () => hu,
  en: async () => (await import('./en.js')).en,
};
const dictionaries: Partial<Record<Locale, Dictionary>> = { hu };

/** Fetches a language's words once; `t` and `translate` need them before they speak it. */
export async function loadLanguage(locale: Locale): Promise<void> {
  dictionaries[locale] ??= await loaders[locale]();
}

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'hu' || saved === 'en') return saved;
  const preferred = navigator.languages?.[0] ?? navigator.language ?? 'hu';
  return preferred.toLowerCase().startsWith('en') ? 'en' : 'hu';
}

const state = $state({ locale: initialLocale() });
document.documentElement.lang = state.locale;

export const i18n = {
  get locale(): Locale {
    return state.locale;
  },
  /** Switches once the language's words are here, so no view is ever half in one language. */
  async switchTo(locale: Locale): Promise<void> {
    await loadLanguage(locale);
    state.locale = locale;
    localStorage.setItem(STORAGE_KEY, locale);
    document.documentElement.lang = locale;
  },
};

/**
 * Before the first paint: the device's language, or Hungarian if its words cannot be fetched (no
 * network), rather than a page of message keys.
 */
export async function loadFirstLanguage(): Promise<void> {
  try {
    await loadLanguage(state.locale);
  } catch {
    state.locale = 'hu';
    document.documentElement.lang = 'hu';
  }
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

function plural(locale: Locale, count: number): 'one' | 'other' {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(count) === 'one' ? 'one' : 'other';
}

/** Translates `key`; `{name}` placeholders are filled from `vars`; `count` picks the plural form. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return translate(state.locale, key, vars);
}

/**
 * `t` in a given language rather than the interface's: for what a session writes in its own
 * language whoever reads it (the report). Hungarian while that language's words are not loaded.
 */
export function translate(
  locale: Locale,
  key: MessageKey,
  vars: Record<string, string | number> = {},
): string {
  const message = (dictionaries[locale] ?? hu)[key];
  const template = typeof message === 'string' ? message : message[plural(locale, Number(vars.count ?? 0))];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(vars[name] ?? whole));
}
