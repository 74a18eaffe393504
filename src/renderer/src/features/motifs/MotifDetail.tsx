import { useEffect } from 'react';
import { captionFor } from './caption';
import { MotifFigure } from './MotifFigure';
import type { MotifHit } from './search-source';
import { useTranslation } from 'react-i18next';
import { useTechPackReference } from './useTechPackReference';
import { creditLabel } from '../../lib/i18n-names';

interface Props {
  hit: MotifHit;
  heatmap: boolean;
  projectId?: string;
  onClose(): void;
  /** Search for motifs like this one, by its image. */
  onSimilar(image: string, label: string): void;
}

/** The chosen motif at full size: both captions, its credit and licence, and the tech-pack action. */
export function MotifDetail({ hit, heatmap, projectId, onClose, onSimilar }: Props) {
  const { t, i18n } = useTranslation();
  const { motif } = hit;
  const reference = useTechPackReference(projectId);
  const { reset } = reference;
  useEffect(() => reset(), [motif.id, reset]);
  const caption = captionFor(motif, i18n.language) ?? t('motifs:noCaption');
  const other = i18n.language.startsWith('zh') ? motif.captionEn : motif.captionZh;
  const score = (s: number) => s.toFixed(3);
  const busy = reference.state.status === 'busy';
  return (
    <section className="motif-detail" data-testid="motif-detail" data-motif-id={motif.id} aria-label={t('motifs:details', { caption })}>
      <div className="motif-detail__image">
        <MotifFigure
          motif={motif}
          variant="full"
          alt={caption}
          heatmap={heatmap && hit.bestCrop ? { best: hit.bestCrop, crops: hit.crops } : null}
          cropLabel={(s) => t('motifs:bestCrop', { score: score(s) })}
        />
      </div>
      <h3 className="motif-detail__caption" data-testid="motif-detail-caption">
        {caption}
      </h3>
      {other && other !== caption && <p className="motif-detail__other">{other}</p>}
      <dl className="motif-credit motif-credit--detail">
        <dt>{t('motifs:source')}</dt>
        <dd data-testid="motif-detail-source">{motif.source ? creditLabel(t, motif.source) : t('motifs:unknown')}</dd>
        <dt>{t('motifs:licence')}</dt>
        <dd data-testid="motif-detail-licence" translate="no">{motif.licence ?? t('motifs:unknown')}</dd>
      </dl>
      <div className="motif-detail__actions">
        <button
          type="button"
          className="button"
          data-testid="motif-add-techpack"
          disabled={!projectId || busy}
          title={projectId ? undefined : t('motifs:techPackNeedsProject')}
          onClick={() => void reference.add(motif.id)}
        >
          {busy ? t('motifs:addingToTechPack') : t('motifs:addToTechPack')}
        </button>
        <button type="button" className="button" data-testid="motif-similar" onClick={() => onSimilar(motif.fileSha256, caption)}>
          {t('motifs:similar')}
        </button>
        <button type="button" className="button button--ghost" data-testid="motif-detail-close" onClick={onClose}>
          {t('motifs:close')}
        </button>
      </div>
      {reference.state.status === 'added' && (
        <p className="motif-note motif-note--ok" role="status" data-testid="motif-techpack-added">
          {t('motifs:addedToTechPack')}
        </p>
      )}
      {reference.state.status === 'already' && (
        <p className="motif-note" role="status" data-testid="motif-techpack-added">
          {t('motifs:alreadyInTechPack')}
        </p>
      )}
      {reference.state.status === 'error' && (
        <p className="form-error" role="alert">
          {reference.state.message}
        </p>
      )}
    </section>
  );
}
