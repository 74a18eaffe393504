import { useEffect } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import { ApiContext } from '../lib/api-context';
import type { ApiSource } from '../lib/studio-api';
import { ErrorBoundary } from './ErrorBoundary';
import { Shell } from './Shell';
import './app.css';

function Framed({ source }: { source: ApiSource }) {
  const { t, i18n } = useTranslation();

  // Keep <html lang> and the window title in step with the chosen language (fonts, screen readers).
  useEffect(() => {
    document.documentElement.lang = i18n.language === 'zh' ? 'zh-CN' : 'en';
    document.title = t('app:name');
  }, [i18n.language, t]);

  return (
    <ErrorBoundary title={t('app:crashed.title')} reloadLabel={t('app:crashed.reload')}>
      {source.kind === 'ready' ? (
        <ApiContext.Provider value={source.api}>
          <Shell />
        </ApiContext.Provider>
      ) : (
        <div className="notice" data-testid="no-connection">
          <h1>{t('app:noConnection.title')}</h1>
          <p>{t('app:noConnection.body')}</p>
        </div>
      )}
    </ErrorBoundary>
  );
}

export function Root({ i18n, source }: { i18n: I18n; source: ApiSource }) {
  return (
    <I18nextProvider i18n={i18n}>
      <Framed source={source} />
    </I18nextProvider>
  );
}
