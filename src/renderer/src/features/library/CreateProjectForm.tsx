import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from '../../lib/use-action';

interface Props {
  onCreate(name: string): Promise<unknown>;
}

/** The name goes to main as typed: the contract's own validation supplies the message. */
export function CreateProjectForm({ onCreate }: Props) {
  const { t } = useTranslation();
  const inputId = useId();
  const errorId = useId();
  const [name, setName] = useState('');
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await onCreate(name);
      setName('');
    });
  }

  return (
    <form className="create-form" onSubmit={submit} noValidate>
      <label className="field-label" htmlFor={inputId}>
        {t('library:create.label')}
      </label>
      <div className="create-form__row">
        <input
          id={inputId}
          className="text-input"
          data-testid="create-project-name"
          value={name}
          placeholder={t('library:create.placeholder')}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          autoComplete="off"
        />
        <button type="submit" className="button button--primary" data-testid="create-project-submit" disabled={busy}>
          {t('library:create.submit')}
        </button>
      </div>
      {error && (
        <p id={errorId} className="form-error" role="alert" data-testid="create-project-error">
          <strong>{t('library:create.failed')}</strong> {error}
        </p>
      )}
    </form>
  );
}
