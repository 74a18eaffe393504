import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Project } from '../../../../shared/contract';
import { errorMessage } from '../../lib/errors';
import { formatTime } from '../../lib/format';

interface Props {
  project: Project;
  onOpen(project: Project): void;
  onRename(id: string, name: string): Promise<unknown>;
  onDelete(id: string): Promise<unknown>;
}

type Mode = 'view' | 'rename' | 'confirm-delete';

export function ProjectRow({ project, onOpen, onRename, onDelete }: Props) {
  const { t, i18n } = useTranslation();
  const [mode, setMode] = useState<Mode>('view');
  const [draft, setDraft] = useState(project.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ lead: string; message: string } | null>(null);
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (mode === 'rename') inputRef.current?.select();
  }, [mode]);

  function startRename() {
    setDraft(project.name);
    setError(null);
    setMode('rename');
  }

  function cancel() {
    setError(null);
    setMode('view');
  }

  async function run(action: () => Promise<unknown>, lead: string) {
    setBusy(true);
    setError(null);
    try {
      await action();
      setMode('view');
    } catch (err) {
      setError({ lead, message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  function saveRename(event: FormEvent) {
    event.preventDefault();
    void run(() => onRename(project.id, draft), t('library:rename.failed'));
  }

  function onRenameKey(event: KeyboardEvent) {
    if (event.key === 'Escape') cancel();
  }

  return (
    <li className={`project-row project-row--${mode}`} data-testid="project-row" data-project-id={project.id}>
      {mode === 'rename' ? (
        <form className="project-row__rename" onSubmit={saveRename} noValidate>
          <label className="visually-hidden" htmlFor={inputId}>
            {t('library:rename.label')}
          </label>
          <input
            id={inputId}
            ref={inputRef}
            className="text-input"
            data-testid="project-rename-input"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onRenameKey}
            aria-invalid={error ? true : undefined}
            autoComplete="off"
          />
          <button type="submit" className="button button--primary" data-testid="project-rename-save" disabled={busy}>
            {t('library:rename.save')}
          </button>
          <button type="button" className="button" data-testid="project-rename-cancel" onClick={cancel} disabled={busy}>
            {t('library:rename.cancel')}
          </button>
        </form>
      ) : (
        <>
          <div className="project-row__main">
            <button type="button" className="project-row__name" data-testid="project-name" onClick={() => onOpen(project)}>
              {/* The name as the technician typed it, in whatever language: never translated. */}
              <span translate="no">{project.name}</span>
            </button>
            <span className="project-row__meta">{t('library:item.updated', { time: formatTime(project.updatedAt, i18n.language) })}</span>
          </div>
          {mode === 'view' ? (
            <div className="project-row__actions" role="group" aria-label={t('library:item.actions', { name: project.name })}>
              <button type="button" className="button" data-testid="project-open" onClick={() => onOpen(project)}>
                {t('library:item.open')}
              </button>
              <button type="button" className="button" data-testid="project-rename" onClick={startRename}>
                {t('library:item.rename')}
              </button>
              <button type="button" className="button button--quiet-danger" data-testid="project-delete" onClick={() => { setError(null); setMode('confirm-delete'); }}>
                {t('library:item.delete')}
              </button>
            </div>
          ) : (
            <div className="project-row__confirm" role="alertdialog" aria-label={t('library:delete.confirm', { name: project.name })}>
              <span className="project-row__confirm-text">{t('library:delete.confirm', { name: project.name })}</span>
              <button
                type="button"
                className="button button--danger"
                data-testid="project-delete-confirm"
                disabled={busy}
                onClick={() => void run(() => onDelete(project.id), t('library:delete.failed'))}
              >
                {t('library:delete.confirmButton')}
              </button>
              <button type="button" className="button" data-testid="project-delete-cancel" onClick={cancel} disabled={busy} autoFocus>
                {t('library:delete.cancel')}
              </button>
            </div>
          )}
        </>
      )}
      {error && (
        <p className="form-error project-row__error" role="alert" data-testid="project-error">
          <strong>{error.lead}</strong> {error.message}
        </p>
      )}
    </li>
  );
}
