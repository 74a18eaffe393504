import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstalledPack } from '../../../../shared/contract';
import { useChoosePath } from '../../lib/use-choose-path';
import { useAction } from '../../lib/use-action';

interface Props {
  onInstall(path: string): Promise<InstalledPack>;
}

/**
 * Installs a pack from a folder or a .zip on this machine. Main reads only a path chosen in its own
 * dialog (or one inside a folder the studio was started with, the browser harness's way), then
 * checks every file before the pack enters the models folder.
 */
export function InstallFromPathForm({ onInstall }: Props) {
  const { t } = useTranslation();
  const inputId = useId();
  const hintId = useId();
  const [path, setPath] = useState('');
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<InstalledPack | null>(null);

  const { choose, chooseError } = useChoosePath(setPath);

  function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    void run(async () => {
      setDone(await onInstall(path.trim()));
      setPath('');
    });
  }

  return (
    <form className="models-install" onSubmit={submit} noValidate>
      <label className="field-label" htmlFor={inputId}>
        {t('models:install.label')}
      </label>
      <div className="models-install__row">
        <input
          id={inputId}
          className="text-input"
          data-testid="install-path"
          value={path}
          placeholder={t('models:install.placeholder')}
          onChange={(e) => setPath(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={hintId}
          autoComplete="off"
          spellCheck={false}
        />
        <button type="button" className="button" data-testid="install-choose-folder" disabled={busy} onClick={() => void choose('modelPackFolder')}>
          {t('models:install.chooseFolder')}
        </button>
        <button type="button" className="button" data-testid="install-choose-zip" disabled={busy} onClick={() => void choose('modelPackZip')}>
          {t('models:install.chooseZip')}
        </button>
        <button type="submit" className="button button--primary" data-testid="install-submit" disabled={busy || path.trim() === ''}>
          {busy ? t('models:install.busy') : t('models:install.submit')}
        </button>
      </div>
      <p id={hintId} className="models-install__hint">
        {t('models:install.hint')}
      </p>
      {chooseError && (
        <p className="form-error" role="alert" data-testid="install-choose-error">
          {chooseError}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="install-error">
          <strong>{t('models:install.failed')}</strong> {error}
        </p>
      )}
      {done && (
        <p className="pack-note pack-note--ok" role="status" data-testid="install-done">
          {t('models:install.done', { name: done.name, version: done.version })}
        </p>
      )}
    </form>
  );
}
