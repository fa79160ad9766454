/**
 * Every user-facing string goes through here. zh-CN is the default; en is the second language.
 * Messages live in locales/<lang>/*.json as flat "module.key" entries with {name} placeholders; each
 * file holds one area's messages (kernel, org, identity …) and a key may be defined in one file only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config/paths.ts';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export type Messages = Record<string, string>;

/** The message files of a locale, by file name. */
export function localeFiles(locale: Locale): Record<string, Messages> {
  const dir = path.join(projectRoot, 'locales', locale);
  const files: Record<string, Messages> = {};
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    files[name] = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Messages;
  }
  return files;
}

function load(locale: Locale): Messages {
  const all: Messages = {};
  for (const [file, messages] of Object.entries(localeFiles(locale))) {
    for (const [key, text] of Object.entries(messages)) {
      if (key in all) throw new Error(`locales/${locale}/${file}: ${key} is already defined in another file`);
      all[key] = text;
    }
  }
  return all;
}

const catalogs: Record<Locale, Messages> = { 'zh-CN': load('zh-CN'), en: load('en') };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** A translate function for one locale. A missing key falls back to zh-CN, then shows the key itself. */
export function translator(locale: Locale): Translate {
  return translators[locale];
}

function makeTranslator(locale: Locale): Translate {
  const own = catalogs[locale];
  const fallback = catalogs[DEFAULT_LOCALE];
  return (key, params) => {
    const template = own[key] ?? fallback[key] ?? key;
    return params ? template.replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m)) : template;
  };
}

const translators: Record<Locale, Translate> = { 'zh-CN': makeTranslator('zh-CN'), en: makeTranslator('en') };

/** Picks the locale from an explicit choice, else the Accept-Language header, else zh-CN. */
export function negotiateLocale(choice: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(choice)) return choice;
  if (choice === 'zh' || choice === 'zh-cn') return 'zh-CN';
  // Only an explicit English-first preference switches; a Chinese government site defaults to Chinese.
  if (acceptLanguage && /^\s*en\b/i.test(acceptLanguage)) return 'en';
  return DEFAULT_LOCALE;
}

export function catalogFor(locale: Locale): Readonly<Messages> {
  return catalogs[locale];
}
