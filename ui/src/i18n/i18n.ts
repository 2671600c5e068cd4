/**
 * English and Chinese. The language follows the browser until the user picks one (kept in localStorage); every
 * string a component shows comes from the messages files, one per page, merged here.
 */
import { createI18n } from 'vue-i18n';
import { common } from './messages/common';
import { pageMessages } from './messages/pages';

export const LOCALES = ['en', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = 'ka.locale';

export function preferredLocale(stored: string | null, languages: readonly string[]): Locale {
  if (stored === 'en' || stored === 'zh') return stored;
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0];
    if (base === 'zh') return 'zh';
    if (base === 'en') return 'en';
  }
  return 'en';
}

const messages = {
  en: { ...common.en, ...pageMessages.en },
  zh: { ...common.zh, ...pageMessages.zh },
};

export const i18n = createI18n({
  legacy: false,
  locale: preferredLocale(localStorage.getItem(STORAGE_KEY), navigator.languages ?? [navigator.language]),
  fallbackLocale: 'en',
  messages,
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
}
