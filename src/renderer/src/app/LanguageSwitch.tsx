import { useTranslation } from 'react-i18next';
import { LANGUAGES, isLanguage, saveLanguage, type Language } from '../lib/i18n';

/** Two-state switch; the choice is saved so the next start opens in the same language. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current: Language = isLanguage(i18n.language) ? i18n.language : 'en';

  function choose(language: Language) {
    void i18n.changeLanguage(language);
    saveLanguage(window.localStorage, language);
  }

  return (
    <div className="segmented" role="group" aria-label={t('app:language.label')}>
      {LANGUAGES.map((lang) => (
        <button
          key={lang}
          type="button"
          lang={lang === 'zh' ? 'zh-CN' : 'en'}
          // Each language is named in itself ("English" in Chinese mode too), so it is never translated.
          translate="no"
          className="segmented__option"
          aria-pressed={current === lang}
          data-testid={`language-${lang}`}
          onClick={() => choose(lang)}
        >
          {t(`app:language.${lang}`)}
        </button>
      ))}
    </div>
  );
}
