import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch';
import type { Route } from './route';

interface Props {
  route: Route;
  onNavigate(route: Route): void;
}

export function TopBar({ route, onNavigate }: Props) {
  const { t } = useTranslation();
  return (
    <header className="topbar" data-testid="topbar">
      <div className="topbar__brand">
        <span className="topbar__mark" aria-hidden="true">
          锦
        </span>
        <span className="topbar__name">{t('app:name')}</span>
      </div>
      <nav className="topbar__nav" aria-label={t('app:nav.main')}>
        <button
          type="button"
          className="topbar__link"
          aria-current={route.view === 'library' ? 'page' : undefined}
          data-testid="nav-library"
          onClick={() => onNavigate({ view: 'library' })}
        >
          {t('app:nav.library')}
        </button>
        {route.view === 'project' && (
          <>
            <span className="topbar__sep" aria-hidden="true">
              /
            </span>
            <span className="topbar__project" data-testid="topbar-project-name" aria-current="page" title={route.project.name}>
              {route.project.name}
            </span>
          </>
        )}
      </nav>
      <div className="topbar__end">
        <button
          type="button"
          className="topbar__link"
          aria-current={route.view === 'models' ? 'page' : undefined}
          data-testid="nav-models"
          onClick={() => onNavigate({ view: 'models' })}
        >
          {t('app:nav.models')}
        </button>
        <LanguageSwitch />
      </div>
    </header>
  );
}
