import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch';
import type { ProjectRoute, Route, WorkspaceTab } from './route';

interface Props {
  route: Route;
  /** The project open last, reachable from Projects and Models in one click. */
  lastProject: ProjectRoute | null;
  onNavigate(route: Route): void;
}

const TABS: readonly WorkspaceTab[] = ['design', 'techpack'];

/** Where the technician is and can go: projects, the open project and its views, models, language. */
export function TopBar({ route, lastProject, onNavigate }: Props) {
  const { t } = useTranslation();
  const project = route.view === 'project' ? route : lastProject;
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
        {project && (
          <>
            <span className="topbar__sep" aria-hidden="true">
              /
            </span>
            {route.view === 'project' ? (
              <span className="topbar__project" data-testid="topbar-project-name" aria-current="page" title={project.project.name}>
                {project.project.name}
              </span>
            ) : (
              <button
                type="button"
                className="topbar__link topbar__project topbar__project--back"
                data-testid="nav-project"
                title={t('app:nav.backTo', { name: project.project.name })}
                onClick={() => onNavigate(project)}
              >
                {project.project.name}
              </button>
            )}
          </>
        )}
        {route.view === 'project' && (
          <div className="topbar__tabs" role="tablist" aria-label={t('app:workspace.views')}>
            {TABS.map((id) => (
              <button
                key={id}
                type="button"
                role="tab"
                className="topbar__tab"
                aria-selected={route.tab === id}
                aria-controls={`workspace-${id}`}
                data-testid={`workspace-tab-${id}`}
                onClick={() => onNavigate({ ...route, tab: id })}
              >
                {t(`app:workspace.${id}`)}
              </button>
            ))}
          </div>
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
