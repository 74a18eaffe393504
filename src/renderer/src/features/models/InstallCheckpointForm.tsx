import { useId, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { Job, JobProgress, SourceLicence } from '../../../../shared/contract';
import { useChoosePath } from '../../lib/use-choose-path';
import { errorMessage } from '../../lib/errors';
import { useAction } from '../../lib/use-action';
import { AssemblyProgress } from './AssemblyProgress';
import { LicenceDialog } from './LicenceDialog';
import { isCheckpointJob } from './recipe-state';
import { VERBATIM } from './verbatim';

interface Props {
  jobs: Readonly<Record<string, Job>>;
  progress: Readonly<Record<string, JobProgress>>;
  /** Licences of the catalogue files the install downloads (the ControlNet's OpenRAIL), asked for before it starts. */
  licences: readonly SourceLicence[];
  onInstall(path: string, name: string | undefined, acceptLicences: string[]): Promise<Job>;
  onCancel(jobId: string): Promise<unknown>;
}

const LIVE: ReadonlySet<Job['state']> = new Set(['queued', 'running']);

/**
 * The technician's own SD 1.5 checkpoint (one .safetensors file, a fashion-photography fine-tune say),
 * assembled with the catalogue's IP-Adapter, image encoder and ControlNet into a garment pack. The
 * service judges the file from its header: a pickle, another model family or a broken header is
 * refused with its own message, and nothing is installed.
 */
export function InstallCheckpointForm({ jobs, progress, licences, onInstall, onCancel }: Props) {
  const { t } = useTranslation();
  const pathId = useId();
  const nameId = useId();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const { busy, error, setError, run } = useAction();
  const [started, setStarted] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [accepted, setAccepted] = useState<readonly string[]>([]);

  // The job started here, or one still running from before this page opened.
  const running = Object.values(jobs).find((j) => isCheckpointJob(j) && LIVE.has(j.state));
  const job = (started ? jobs[started] : undefined) ?? running ?? null;
  const live = job !== null && LIVE.has(job.state);

  const { choose, chooseError } = useChoosePath(setPath);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (licences.some((l) => !accepted.includes(l.id))) setAsking(true);
    else void install(accepted);
  }

  async function install(acceptLicences: readonly string[]) {
    setAsking(false);
    setAccepted(acceptLicences);
    await run(async () => {
      const queued = await onInstall(path.trim(), name.trim() || undefined, [...acceptLicences]);
      setStarted(queued.id);
    });
  }

  async function cancel(jobId: string) {
    setError(null);
    try {
      await onCancel(jobId);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form className="models-install" onSubmit={submit} noValidate data-testid="checkpoint-form">
      <label className="field-label" htmlFor={pathId}>
        <Trans i18nKey="models:checkpoint.label" components={VERBATIM} />
      </label>
      <div className="models-install__row">
        <input
          id={pathId}
          className="text-input"
          data-testid="checkpoint-path"
          value={path}
          placeholder={t('models:checkpoint.placeholder')}
          onChange={(e) => setPath(e.target.value)}
          aria-invalid={error ? true : undefined}
          autoComplete="off"
          spellCheck={false}
        />
        <button type="button" className="button" data-testid="checkpoint-choose" disabled={busy || live} onClick={() => void choose('modelCheckpoint')}>
          {t('models:checkpoint.choose')}
        </button>
      </div>
      <div className="models-install__row">
        <label className="field-label" htmlFor={nameId}>
          {t('models:checkpoint.name')}
        </label>
        <input
          id={nameId}
          className="text-input"
          data-testid="checkpoint-name"
          value={name}
          placeholder={t('models:checkpoint.namePlaceholder')}
          onChange={(e) => setName(e.target.value)}
          autoComplete="off"
        />
        <button type="submit" className="button button--primary" data-testid="checkpoint-submit" disabled={busy || live || path.trim() === ''}>
          {t('models:checkpoint.submit')}
        </button>
      </div>
      <p className="models-install__hint"><Trans i18nKey="models:checkpoint.hint" components={VERBATIM} /></p>
      {chooseError && (
        <p className="form-error" role="alert" data-testid="checkpoint-choose-error">
          {chooseError}
        </p>
      )}
      {job && live && (
        <div className="checkpoint-job" data-testid="checkpoint-job" data-state={job.state}>
          <AssemblyProgress name={name || path} queued={job.state === 'queued'} progress={progress[job.id] ?? job.progress} />
          <button type="button" className="button button--quiet-danger" data-testid="checkpoint-cancel" onClick={() => void cancel(job.id)}>
            {t('models:catalogue.cancel')}
          </button>
        </div>
      )}
      {job?.state === 'failed' && (
        <p className="form-error" role="alert" data-testid="checkpoint-failed">
          <strong>{t('models:checkpoint.failed')}</strong> {job.error?.message}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="checkpoint-error">
          <strong>{t('models:checkpoint.failed')}</strong> {error}
        </p>
      )}
      {asking && (
        <LicenceDialog
          name={name.trim() || t('models:checkpoint.yours')}
          licences={licences}
          onAccept={(ids) => void install([...new Set([...accepted, ...ids])])}
          onClose={() => setAsking(false)}
        />
      )}
    </form>
  );
}
