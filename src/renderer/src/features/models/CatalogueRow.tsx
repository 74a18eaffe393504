import { useTranslation } from 'react-i18next';
import type { CatalogueItem, Job } from '../../../../shared/contract';
import { catalogueRowState } from './catalogue-state';
import { DownloadProgress } from './DownloadProgress';
import { formatBytes } from './download-meter';
import { useAction } from '../../lib/use-action';
import { PauseCancel } from './PauseCancel';
import type { LiveProgress } from './useModelPacks';

interface Props {
  item: CatalogueItem;
  job: Job | null;
  /** Live progress by job id. */
  progress: Readonly<Record<string, LiveProgress>>;
  onDownload(id: string): Promise<unknown>;
  onPause(jobId: string): Promise<unknown>;
  onCancel(jobId: string): Promise<unknown>;
}

/** One downloadable pack: download, and while it runs its progress with pause and cancel; a kept part resumes. */
export function CatalogueRow({ item, job, progress, onDownload, onPause, onCancel }: Props) {
  const { t, i18n } = useTranslation();
  const { busy, error, run } = useAction();
  const state = catalogueRowState(item, job);
  const size = (n: number) => formatBytes(n, i18n.language);

  const download = () => void run(() => onDownload(item.id));

  return (
    <li className="pack-row catalogue-row" data-testid="catalogue-item" data-pack-id={item.id} data-state={state.kind}>
      <div className="pack-row__head">
        <span className={`pack-kind pack-kind--${item.kind}`}>{t(`models:kind.${item.kind}`)}</span>
        <span className="pack-row__name" translate="no">{item.name}</span>
        <span className="pack-row__id">
          {item.id} · {item.version}
          {item.sizeBytes !== undefined && ` · ${size(item.sizeBytes)}`} · <span translate="no">{item.licence}</span>
        </span>
        <div className="pack-row__actions" role="group" aria-label={t('models:action.actions', { name: item.name })}>
          {state.kind === 'available' && (
            <button type="button" className="button button--primary" data-testid="catalogue-download" disabled={busy} onClick={download}>
              {t('models:catalogue.download')}
            </button>
          )}
          {state.kind === 'paused' && (
            <button type="button" className="button button--primary" data-testid="catalogue-resume" disabled={busy} onClick={download}>
              {t('models:catalogue.resume')}
            </button>
          )}
          {state.kind === 'failed' && (
            <button type="button" className="button button--primary" data-testid="catalogue-retry" disabled={busy} onClick={download}>
              {t('models:catalogue.retry')}
            </button>
          )}
          {state.kind === 'downloading' && (
            <PauseCancel
              testIdPrefix="catalogue"
              busy={busy}
              onPause={() => void run(() => onPause(state.jobId))}
              onCancel={() => void run(() => onCancel(state.jobId))}
            />
          )}
          {state.kind === 'installed' && (
            <span className="pack-status pack-status--verified" data-testid="catalogue-installed">
              {t('models:catalogue.installed', { version: state.version })}
            </span>
          )}
        </div>
      </div>
      {item.description && <p className="catalogue-row__description">{item.description}</p>}

      {state.kind === 'downloading' && (
        <DownloadProgress
          name={item.name}
          queued={state.queued}
          progress={progress[state.jobId] ?? null}
          fallback={job?.id === state.jobId ? job.progress : null}
          totalBytes={item.sizeBytes ?? null}
        />
      )}
      {state.kind === 'paused' && (
        <p className="pack-note" data-testid="catalogue-paused">
          {t(state.interrupted ? 'models:catalogue.interrupted' : 'models:catalogue.paused', { bytes: size(state.partialBytes) })}
        </p>
      )}
      {state.kind === 'failed' && (
        <p className="form-error pack-row__error" role="alert" data-testid="catalogue-failed">
          <strong>{t('models:catalogue.failed')}</strong> {state.message}
        </p>
      )}
      {error && (
        <p className="form-error pack-row__error" role="alert" data-testid="catalogue-error">
          <strong>{t('models:catalogue.actionFailed')}</strong> {error}
        </p>
      )}
    </li>
  );
}
