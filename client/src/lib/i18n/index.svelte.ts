/**
 * The UI language: Hungarian or English, from the browser unless the user
 * picked one (remembered on the device). `t` reads reactive state, so text
 * in templates follows a switch without reload.
 */
import type { Language } from '@kaptar/board';
import { en } from './en.js';
import { hu, type Message, type MessageKey } from './hu.js';

export type Locale = Language;
export type { MessageKey };

const STORAGE_KEY = 'kaptar:locale';
const dictionaries: Record<Locale, Record<MessageKey, Message>> = { hu, en };

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
  set locale(locale: Locale) {
    state.locale = locale;
    localStorage.setItem(STORAGE_KEY, locale);
    document.documentElement.lang = locale;
  },
};

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
 * language whoever reads it (the report).
 */
export function translate(
  locale: Locale,
  key: MessageKey,
  vars: Record<string, string | number> = {},
): string {
  const message = dictionaries[locale][key];
  const template = typeof message === 'string' ? message : message[plural(locale, Number(vars.count ?? 0))];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(vars[name] ?? whole));
}
