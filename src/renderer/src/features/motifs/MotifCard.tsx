import type { DragEvent } from 'react';
import { captionFor } from './caption';
import { putMotifDrag } from './drag';
import { MotifFigure } from './MotifFigure';
import { rememberMotif } from './motif-pictures';
import type { MotifHit } from './search-source';
import { useTranslation } from 'react-i18next';
import { creditLabel } from '../../lib/i18n-names';

interface Props {
  hit: MotifHit;
  heatmap: boolean;
  selected: boolean;
  onOpen(): void;
}

/** One result: draggable onto the flat, with its credit and licence always in view. */
export function MotifCard({ hit, heatmap, selected, onOpen }: Props) {
  const { t, i18n } = useTranslation();
  const { motif } = hit;
  const caption = captionFor(motif, i18n.language) ?? t('motifs:noCaption');
  const onDragStart = (e: DragEvent) => {
    // The canvas paints the motif as soon as it lands, without looking it up.
    rememberMotif(motif);
    putMotifDrag(e.dataTransfer, { motifId: motif.id, caption });
  };
  return (
    <li
      className={`motif-card ${selected ? 'is-selected' : ''}`}
      data-testid="motif-result"
      data-motif-id={motif.id}
      draggable
      onDragStart={onDragStart}
      title={t('motifs:dragHint')}
    >
      <button type="button" className="motif-card__open" onClick={onOpen} aria-label={t('motifs:details', { caption })}>
        <span className="motif-card__image">
          <MotifFigure motif={motif} variant="thumb" alt={caption} heatmap={heatmap && hit.bestCrop ? { best: hit.bestCrop, crops: hit.crops } : null} />
        </span>
        <span className="motif-card__caption" data-testid="motif-caption" title={caption}>
          {caption}
        </span>
      </button>
      <dl className="motif-credit">
        <dt>{t('motifs:source')}</dt>
        <dd data-testid="motif-source">{motif.source ? creditLabel(t, motif.source) : t('motifs:unknown')}</dd>
        <dt>{t('motifs:licence')}</dt>
        <dd data-testid="motif-licence" translate="no">{motif.licence ?? t('motifs:unknown')}</dd>
      </dl>
    </li>
  );
}
