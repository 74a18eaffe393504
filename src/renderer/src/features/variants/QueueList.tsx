import { useTranslation } from 'react-i18next';
import { isActive, type QueuedRender } from './useGenerationQueue';

interface Props {
  queue: QueuedRender[];
  onCancel(id: string): void;
  onCancelAll(): void;
  onClear(): void;
}

/** The render queue: each job's state and denoising step, with cancel for one or all. */
export function QueueList({ queue, onCancel, onCancelAll, onClear }: Props) {
  const { t } = useTranslation();
  if (queue.length === 0) return null;
  const active = queue.filter((x) => isActive(x.job)).length;
  return (
    <section className="queue" data-testid="render-queue" aria-label={t('variants:queue.title')}>
      <header className="queue__header">
        <h3 className="queue__title">{t('variants:queue.title')}</h3>
        <span className="queue__count">{t('variants:queue.active', { count: active })}</span>
        <button type="button" className="button button--small" disabled={active === 0} data-testid="cancel-all" onClick={onCancelAll}>
          {t('variants:queue.cancelAll')}
        </button>
        <button type="button" className="button button--small" disabled={queue.length === active} onClick={onClear}>
          {t('variants:queue.clear')}
        </button>
      </header>
      <ol className="queue__list">
        {queue.map(({ job, progress }) => {
          const fraction = progress?.fraction ?? null;
          const params = job.params as { prompt?: string; alpha?: unknown; seed?: number } | null;
          return (
            <li key={job.id} className="queue__item" data-testid="queue-item" data-job-id={job.id} data-state={job.state}>
              <span className={`queue__state queue__state--${job.state}`}>{t(`variants:queue.states.${job.state}`)}</span>
              <span className="queue__prompt" title={params?.prompt}>
                {params?.prompt}
                {typeof params?.alpha === 'number' ? ` · α ${params.alpha.toFixed(2)}` : ''}
              </span>
              <progress className="queue__bar" max={1} value={fraction ?? undefined} data-testid="queue-progress" />
              <span className="queue__step" data-testid="queue-step">
                {progress?.step !== undefined && progress.total
                  ? t('variants:queue.step', { step: progress.step, total: progress.total })
                  : job.state === 'running'
                    ? t('variants:queue.loading')
                    : ''}
              </span>
              {isActive(job) ? (
                <button type="button" className="button button--small" data-testid="queue-cancel" onClick={() => onCancel(job.id)}>
                  {t('variants:queue.cancel')}
                </button>
              ) : job.error ? (
                <span className="queue__error" role="alert">
                  {job.state === 'cancelled' ? '' : job.error.message}
                </span>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
