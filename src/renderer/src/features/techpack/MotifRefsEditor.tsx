import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Motif } from '../../../../shared/contract';
import type { MotifPlacement, ResolvedMotif, TechPackDocument } from '../../../../shared/techpack';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { creditLabel } from '../../lib/i18n-names';
import { libraryFileUrl } from '../../lib/library-url';
import { PlacementLine } from './PlacementLine';

type MotifRef = TechPackDocument['motifs'][number];
type Captions = TechPackDocument['motifCaptions'];
type Lookup = { status: 'ready'; motif: Motif } | { status: 'error'; error: string };

/** The schema's limit on a caption the pack prints. */
const CAPTION_MAX = 300;

interface Props {
  refs: MotifRef[];
  captions: Captions;
  /** Motifs the pack credits (referenced here or printed on the flats), from the live preview; null until it arrives. */
  credited: readonly ResolvedMotif[] | null;
  /** Where each credited motif sits on the flats, by motif id (the sheet prints these in both languages). */
  placements: Readonly<Record<string, readonly MotifPlacement[]>>;
  /** Motifs named by a reference or a flat but gone from the library. */
  missing: readonly string[];
  onChange(refs: MotifRef[]): void;
  onCaptions(captions: Captions): void;
}

/**
 * Every motif the pack credits: those referenced here (with where each sits on the garment) and
 * those printed on the flats, which are credited without being added. Each can be given the
 * caption the pack prints, for a museum caption too long for the sheet; the library keeps its own.
 */
export function MotifRefsEditor({ refs, captions, credited, placements, missing, onChange, onCaptions }: Props) {
  const { t, i18n } = useTranslation();
  const { client } = useStudioApi();
  const [found, setFound] = useState<Record<string, Lookup>>({});
  const ids = [...new Set([...refs.map((r) => r.motifId), ...(credited ?? []).map((m) => m.id), ...missing])];
  const key = ids.join('|');

  useEffect(() => {
    let live = true;
    for (const id of key ? key.split('|') : []) {
      if (found[id]) continue;
      client.motifs.get({ id }).then(
        (motif) => live && setFound((f) => ({ ...f, [id]: { status: 'ready', motif } })),
        (e: unknown) => live && setFound((f) => ({ ...f, [id]: { status: 'error', error: errorMessage(e) } })),
      );
    }
    return () => {
      live = false;
    };
    // `found` is read only to skip motifs already looked up.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key]);

  const setPlacement = (motifId: string, placement: string) => onChange(refs.map((r) => (r.motifId === motifId ? { ...r, placement } : r)));
  const setCaption = (motifId: string, caption: string) => {
    const next = { ...captions };
    if (caption) next[motifId] = caption;
    else delete next[motifId];
    onCaptions(next);
  };
  const zh = i18n.language.startsWith('zh');

  return (
    <fieldset data-section="motifs" data-item="">
      <legend>{t('techpack:motifs.title')}</legend>
      {ids.length === 0 && <p className="techpack__hint">{t('techpack:motifs.none')}</p>}
      {ids.map((id) => {
        const ref = refs.find((r) => r.motifId === id);
        const m = found[id];
        const motif = m?.status === 'ready' ? m.motif : null;
        const resolved = credited?.find((c) => c.id === id) ?? null;
        const captionZh = motif?.captionZh ?? resolved?.captionZh ?? null;
        const captionEn = motif?.captionEn ?? resolved?.captionEn ?? null;
        const libraryCaption = (zh ? captionZh : captionEn) ?? captionEn ?? captionZh ?? id;
        const gone = missing.includes(id) || m?.status === 'error';
        const image = motif ? (motif.thumbSha256 ?? motif.fileSha256) : resolved?.imageSha256;
        const remove = ref && (
          <button type="button" className="button button--quiet-danger" aria-label={t('techpack:remove')} onClick={() => onChange(refs.filter((r) => r.motifId !== id))}>
            ×
          </button>
        );
        if (gone)
          return (
            <div key={id} className="techpack__card techpack__motif" data-testid="techpack-motif" data-section="motifs" data-item={id} tabIndex={-1}>
              <div>
                <strong>{id}</strong>
                <p className="techpack__hint techpack__hint--error">
                  {missing.includes(id) || m?.status !== 'error' ? t(ref ? 'techpack:motifs.missingRef' : 'techpack:motifs.missingOnFlat') : m.error}
                </p>
              </div>
              {remove}
            </div>
          );
        const source = motif?.source ?? resolved?.source ?? null;
        const licence = motif?.licence ?? resolved?.licence ?? null;
        return (
          <div key={id} className="techpack__card techpack__motif" data-testid="techpack-motif">
            {image && <img className="techpack__motif-thumb" src={libraryFileUrl(image)} alt={libraryCaption} loading="lazy" />}
            <div>
              <strong className="techpack__motif-caption" title={libraryCaption}>
                {libraryCaption}
              </strong>
              <p className="techpack__hint">{t('techpack:motifs.credit', { source: source ? creditLabel(t, source) : t('techpack:motifs.unknown'), licence: licence ?? t('techpack:motifs.unknown') })}</p>
              {ref ? (
                <input
                  className="text-input"
                  aria-label={t('techpack:motifs.placement')}
                  placeholder={t('techpack:motifs.placement')}
                  value={ref.placement}
                  onChange={(e) => setPlacement(id, e.target.value)}
                />
              ) : (
                <p className="techpack__hint" data-testid="techpack-motif-placement">
                  {placements[id]?.length ? (
                    <OnFlats places={placements[id]} />
                  ) : (
                    t('techpack:motifs.onFlats', { placement: resolved?.placement ?? '' })
                  )}
                </p>
              )}
              <label className="techpack__field">
                <span>{t('techpack:motifs.caption')}</span>
                <input
                  className="text-input"
                  data-section="motifs"
                  data-item={id}
                  data-testid="techpack-motif-caption"
                  maxLength={CAPTION_MAX}
                  placeholder={t('techpack:motifs.captionPlaceholder')}
                  value={captions[id] ?? ''}
                  onChange={(e) => setCaption(id, e.target.value)}
                />
              </label>
            </div>
            {remove}
          </div>
        );
      })}
    </fieldset>
  );
}

/** "Printed on the flats: …" with the placements' names kept verbatim inside the locale's sentence. */
function OnFlats({ places }: { places: readonly MotifPlacement[] }) {
  const { t } = useTranslation();
  const [before = '', after = ''] = t('techpack:motifs.onFlats', { placement: '\u0000' }).split('\u0000');
  return (
    <>
      {before}
      <PlacementLine places={places} />
      {after}
    </>
  );
}
