import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstalledPack } from '../../../../shared/contract';
import { errorMessage } from '../../lib/errors';

interface Props {
  onInstall(path: string): Promise<InstalledPack>;
}

/**
 * Installs a pack from a folder or a .zip on this machine. The path is typed (there is no file dialog
 * channel yet); main checks every file before the pack enters the models folder.
 */
export function InstallFromPathForm({ onInstall }: Props) {
  const { t } = useTranslation();
  const inputId = useId();
  const hintId = useId();
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<InstalledPack | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await onInstall(path.trim()));
      setPath('');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
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
        <button type="submit" className="button button--primary" data-testid="install-submit" disabled={busy || path.trim() === ''}>
          {busy ? t('models:install.busy') : t('models:install.submit')}
        </button>
      </div>
      <p id={hintId} className="models-install__hint">
        {t('models:install.hint')}
      </p>
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
