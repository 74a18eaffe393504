import { useTranslation } from 'react-i18next';
import type { Project } from '../../../../shared/contract';
import { CreateProjectForm } from './CreateProjectForm';
import { ProjectRow } from './ProjectRow';
import { useProjects } from './useProjects';
import './library.css';

interface Props {
  onOpen(project: Project): void;
  /** A project was renamed or deleted, for the shell to follow it. */
  onRenamed?(project: Project): void;
  onDeleted?(id: string): void;
}

/** The project library: the studio's home. A project just created opens, ready to draw in. */
export function ProjectLibrary({ onOpen, onRenamed, onDeleted }: Props) {
  const { t } = useTranslation();
  const { state, reload, create, rename, remove } = useProjects();
  const { projects } = state;
  const createAndOpen = async (name: string) => onOpen(await create(name));
  const renameAndTell = async (id: string, name: string) => {
    const project = await rename(id, name);
    onRenamed?.(project);
    return project;
  };
  const removeAndTell = async (id: string) => {
    await remove(id);
    onDeleted?.(id);
  };

  return (
    <div className="library" data-testid="library">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">{t('library:title')}</h1>
          <p className="page-header__subtitle">{t('library:subtitle')}</p>
        </div>
        {/* No "0 projects" while the first load is still on its way; a refresh keeps the last count. */}
        {(state.status === 'ready' || (state.status === 'loading' && projects.length > 0)) && <span className="page-header__count" data-testid="project-count">{t('library:count', { count: projects.length })}</span>}
      </header>

      <CreateProjectForm onCreate={createAndOpen} />

      {state.status === 'error' && (
        <div className="banner banner--error" role="alert" data-testid="library-error">
          <span>
            <strong>{t('library:loadFailed')}</strong> {state.error}
          </span>
          <button type="button" className="button" data-testid="library-retry" onClick={() => void reload()}>
            {t('library:retry')}
          </button>
        </div>
      )}

      {state.status === 'ready' && projects.length === 0 ? (
        <div className="empty-note library__empty" data-testid="library-empty">
          <h2>{t('library:empty.title')}</h2>
          <p>{t('library:empty.body')}</p>
        </div>
      ) : (
        <ul className="project-list" data-testid="project-list" aria-busy={state.status === 'loading'}>
          {projects.map((p) => (
            // The key includes the name so a renamed row starts fresh from the saved name.
            <ProjectRow key={`${p.id}:${p.name}`} project={p} onOpen={onOpen} onRename={renameAndTell} onDelete={removeAndTell} />
          ))}
        </ul>
      )}
    </div>
  );
}
