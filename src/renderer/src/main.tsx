import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from './app/Root';
import { createI18n, initialLanguage } from './lib/i18n';
import { resolveStudioApi } from './lib/studio-api';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const i18n = createI18n(initialLanguage(storage(), navigator.languages?.length ? navigator.languages : [navigator.language]));
const source = resolveStudioApi(window);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root i18n={i18n} source={source} />
  </StrictMode>,
);
