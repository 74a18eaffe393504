import { useCallback, useId, useState, type FormEvent } from 'react';
import type { Job, JobProgress } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { useChoosePath } from '../../lib/use-choose-path';
import { startIndexing } from './search-source';
import { useTranslation } from 'react-i18next';
import { useMotifJob, type MotifJobState } from './useMotifJob';

interface Props {
  /** Whether a motif pack is installed, so the new motifs can be indexed for image search. */
  canIndex: boolean;
  onChanged(): void;
}

function report(job: Job): { imported: number; alreadyIn: number; failed: number } {
  const r = (job.result ?? {}) as Record<string, unknown>;
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  return { imported: n(r.imported), alreadyIn: n(r.alreadyIn), failed: n(r.failed) };
}

function Progress({ progress }: { progress: JobProgress | null }) {
  return (
    <div className="motif-progress" data-testid="motif-job-progress">
      <progress max={1} value={progress?.fraction ?? undefined} />
      {progress?.message && <span className="motif-progress__text">{progress.message}</span>}
    </div>
  );
}

function isRunning(s: MotifJobState): s is Extract<MotifJobState, { status: 'running' }> {
  return s.status === 'running';
}

/** A collection folder in, as a motifs.import job with its progress; then, optionally, indexing. */
export function ImportMotifsForm({ canIndex, onChanged }: Props) {
  const { t } = useTranslation();
  const { client } = useStudioApi();
  const id = useId();
  const [folder, setFolder] = useState('');
  const startImport = useCallback(() => client.motifs.import({ folder: folder.trim() }), [client, folder]);
  const startIndex = useCallback(() => startIndexing(client), [client]);
  const importJob = useMotifJob(startImport, onChanged);
  const indexJob = useMotifJob(startIndex, onChanged);

  const { choose, chooseError } = useChoosePath(setFolder);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (folder.trim()) void importJob.run();
  };

  return (
    <div className="motif-import">
    <details data-testid="motif-import">
      <summary>{t('motifs:import.title')}</summary>
      <form onSubmit={submit} className="motif-import__form">
        <label htmlFor={`${id}-folder`}>{t('motifs:import.folder')}</label>
        <input
          id={`${id}-folder`}
          className="text-input"
          placeholder={t('motifs:import.folderPlaceholder')}
          data-testid="motif-import-folder"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
        />
        <button type="button" className="button" data-testid="motif-import-choose" disabled={isRunning(importJob.state)} onClick={() => void choose('motifCollection')}>
          {t('motifs:import.choose')}
        </button>
        <button type="submit" className="button button--primary" data-testid="motif-import-submit" disabled={!folder.trim() || isRunning(importJob.state)}>
          {isRunning(importJob.state) ? t('motifs:import.busy') : t('motifs:import.submit')}
        </button>
      </form>
      {chooseError && (
        <p className="form-error" role="alert" data-testid="motif-import-choose-error">
          {chooseError}
        </p>
      )}
      {isRunning(importJob.state) && <Progress progress={importJob.state.progress} />}
      {importJob.state.status === 'done' && (
        <p className="motif-note motif-note--ok" role="status" data-testid="motif-import-done">
          {t('motifs:import.done', report(importJob.state.job))}
        </p>
      )}
      {importJob.state.status === 'failed' && (
        <p className="form-error" role="alert" data-testid="motif-import-error">
          {t('motifs:import.failed', { message: importJob.state.message })}
        </p>
      )}
    </details>
      {canIndex && (
        <div className="motif-import__index">
          <button type="button" className="button" data-testid="motif-index" disabled={isRunning(indexJob.state)} onClick={() => void indexJob.run()}>
            {isRunning(indexJob.state) ? t('motifs:index.busy') : t('motifs:index.submit')}
          </button>
          {isRunning(indexJob.state) && <Progress progress={indexJob.state.progress} />}
          {indexJob.state.status === 'done' && (
            <p className="motif-note motif-note--ok" role="status" data-testid="motif-index-done">
              {t('motifs:index.done')}
            </p>
          )}
          {indexJob.state.status === 'failed' && (
            <p className="form-error" role="alert">
              {t('motifs:index.failed', { message: indexJob.state.message })}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
