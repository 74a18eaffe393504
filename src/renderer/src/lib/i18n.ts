import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { NAMESPACES, RESOURCES } from '../locales/resources';
import { setErrorWording } from './errors';

export const LANGUAGES = ['en', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_STORAGE_KEY = 'jinxiu.language';

/** Minimal storage surface so the choice logic is testable without a DOM. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** A saved choice wins; otherwise the browser's language, where any zh-* means Chinese. */
export function initialLanguage(store: KeyValueStore | null, navigatorLanguages: readonly string[]): Language {
  let saved: string | null = null;
  try {
    saved = store?.getItem(LANGUAGE_STORAGE_KEY) ?? null;
  } catch {
    // Storage can be disabled (privacy settings); fall back to the browser's language.
  }
  if (isLanguage(saved)) return saved;
  for (const tag of navigatorLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function saveLanguage(store: KeyValueStore | null, language: Language): void {
  try {
    store?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Not persisting is acceptable; the switch still works for this session.
  }
}

export function createI18n(language: Language): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    resources: RESOURCES,
    ns: NAMESPACES,
    // Keys name their namespace ('editor:fit'); one without resolves in the app shell's strings.
    defaultNS: 'app',
    interpolation: { escapeValue: false }, // React escapes already.
    initAsync: false,
    showSupportNotice: false, // keeps the console clean for real problems
  });
  setErrorWording(instance);
  return instance;
}
