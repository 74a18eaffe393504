import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { MotifVectorStatus } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { useMotifJob } from './useMotifJob';

interface Props {
  vectors: MotifVectorStatus;
  /** The index is ready: search again to rank by the model. */
  onIndexed(): void;
}

/**
 * Why the image model could not rank every motif, in the technician's language, with the button that
 * fixes it right beside the note: main's own message names a CLI command, which is no help here.
 */
export function VectorsNote({ vectors, onIndexed }: Props) {
  const { t } = useTranslation();
  const { client } = useStudioApi();
  const { offer } = vectors;
  const start = useCallback(() => client.motifs.reindex(offer?.packId ? { packId: offer.packId } : {}), [client, offer?.packId]);
  const job = useMotifJob(start, onIndexed);
  const running = job.state.status === 'running';
  const fraction = job.state.status === 'running' ? (job.state.progress?.fraction ?? null) : null;
  return (
    <div className="motifs__vectors" data-testid="motif-vectors" data-state={vectors.state}>
      <p className="motif-note">{t(`motifs:vectors.${vectors.state}`, { indexed: vectors.indexed, motifs: vectors.motifs })}</p>
      {offer && job.state.status !== 'done' && (
        <div className="motifs__vectors-action">
          <button type="button" className="button" data-testid="motif-vectors-index" disabled={running} onClick={() => void job.run()}>
            {running ? t('motifs:index.busy') : t('motifs:vectors.index')}
          </button>
          {running && <progress max={1} value={fraction ?? undefined} />}
        </div>
      )}
      {job.state.status === 'done' && (
        <p className="motif-note motif-note--ok" role="status">
          {t('motifs:index.done')}
        </p>
      )}
      {job.state.status === 'failed' && (
        <p className="form-error" role="alert">
          {t('motifs:index.failed', { message: job.state.message })}
        </p>
      )}
    </div>
  );
}
