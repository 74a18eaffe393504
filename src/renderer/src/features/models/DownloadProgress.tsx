import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../../shared/contract';
import { bytesPerSecond, durationParts, formatBytes, secondsLeft } from './download-meter';
import type { LiveProgress } from './useModelPacks';

interface Props {
  name: string;
  queued: boolean;
  /** From job.progress events while this page watched the download. */
  progress: LiveProgress | null;
  /** The job's last saved progress, for a download that was running before this page opened. */
  fallback: JobProgress | null;
  /** The catalogue's size, until the manifest's total arrives. */
  totalBytes: number | null;
}

/** Bytes done of the total, speed and time left of one download. */
export function DownloadProgress({ name, queued, progress, fallback, totalBytes }: Props) {
  const { t, i18n } = useTranslation();
  const bytes = progress?.bytes ?? fallback?.step ?? null;
  const total = progress?.totalBytes ?? fallback?.total ?? totalBytes;
  const speed = progress ? bytesPerSecond(progress.samples) : null;
  const left = bytes === null ? null : secondsLeft(bytes, total, speed);
  const size = (n: number) => formatBytes(n, i18n.language);

  if (bytes === null) {
    return (
      <p className="pack-note" data-testid="download-progress" data-bytes="">
        {t(queued ? 'models:catalogue.queued' : 'models:catalogue.starting')}
      </p>
    );
  }
  const fraction = total ? Math.min(1, bytes / total) : null;
  return (
    <div className="download" data-testid="download-progress" data-bytes={bytes} data-total={total ?? ''}>
      <progress
        className="download__bar"
        max={1}
        value={fraction ?? undefined}
        aria-label={t('models:catalogue.progressLabel', { name })}
      />
      <div className="download__figures">
        <span data-testid="download-bytes">{total ? t('models:catalogue.progress', { bytes: size(bytes), total: size(total) }) : size(bytes)}</span>
        {speed !== null && speed > 0 && <span data-testid="download-speed">{t('models:catalogue.speed', { speed: size(speed) })}</span>}
        {left !== null && <span data-testid="download-left">{t('models:catalogue.left', { time: formatDuration(left, t) })}</span>}
      </div>
    </div>
  );
}

function formatDuration(seconds: number, t: (key: string, values: Record<string, number>) => string): string {
  const { h, m, s } = durationParts(seconds);
  if (h > 0) return t('models:duration.hours', { h, m });
  if (m > 0) return t('models:duration.minutes', { m, s });
  return t('models:duration.seconds', { s });
}
