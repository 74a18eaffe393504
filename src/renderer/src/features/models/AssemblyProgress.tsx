import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../../shared/contract';
import { formatBytes } from './download-meter';

interface Props {
  name: string;
  queued: boolean;
  /** The latest job.progress event, or the job's saved progress for one running before this page opened. */
  progress: JobProgress | null;
}

/**
 * Where an assembly is: its phase in the service's words (which file it downloads, which graph it
 * fills) and the bytes done of that phase's total.
 */
export function AssemblyProgress({ name, queued, progress }: Props) {
  const { t, i18n } = useTranslation();
  const size = (n: number) => formatBytes(n, i18n.language);
  const done = progress?.step ?? null;
  const total = progress?.total ?? null;
  const phase = progress?.message ?? null;

  if (!progress) {
    return (
      <p className="pack-note" data-testid="assembly-progress" data-done="">
        {t(queued ? 'models:catalogue.queued' : 'models:catalogue.starting')}
      </p>
    );
  }
  const fraction = done !== null && total ? Math.min(1, done / total) : progress.fraction;
  return (
    <div className="download" data-testid="assembly-progress" data-done={done ?? ''} data-total={total ?? ''}>
      <progress className="download__bar" max={1} value={fraction ?? undefined} aria-label={t('models:recipe.progressLabel', { name })} />
      <div className="download__figures">
        {phase && <span data-testid="assembly-phase">{phase}</span>}
        {done !== null && (
          <span data-testid="assembly-bytes">{total ? t('models:catalogue.progress', { bytes: size(done), total: size(total) }) : size(done)}</span>
        )}
      </div>
    </div>
  );
}
