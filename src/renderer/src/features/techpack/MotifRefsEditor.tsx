import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Motif } from '../../../../shared/contract';
import type { TechPackDocument } from '../../../../shared/techpack';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { libraryFileUrl } from '../../lib/library-url';

type MotifRef = TechPackDocument['motifs'][number];
type Lookup = { status: 'ready'; motif: Motif } | { status: 'error'; error: string };

/** Motifs the design uses, with where each sits on the garment; source and licence come from the library for the credits sheet. */
export function MotifRefsEditor({ refs, onChange }: { refs: MotifRef[]; onChange(refs: MotifRef[]): void }) {
  const { t, i18n } = useTranslation();
  const { client } = useStudioApi();
  const [found, setFound] = useState<Record<string, Lookup>>({});
  const key = refs.map((r) => r.motifId).join('|');

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

  const set = (i: number, placement: string) => onChange(refs.map((r, k) => (k === i ? { ...r, placement } : r)));
  return (
    <fieldset data-section="motifs" data-item="">
      <legend>{t('techpack:motifs.title')}</legend>
      {refs.length === 0 && <p className="techpack__hint">{t('techpack:motifs.none')}</p>}
      {refs.map((r, i) => {
        const m = found[r.motifId];
        const motif = m?.status === 'ready' ? m.motif : null;
        const caption = motif ? ((i18n.language.startsWith('zh') ? motif.captionZh : motif.captionEn) ?? motif.captionEn ?? motif.captionZh ?? r.motifId) : r.motifId;
        return (
          <div key={r.motifId} className="techpack__card techpack__motif" data-testid="techpack-motif">
            {motif && <img className="techpack__motif-thumb" src={libraryFileUrl(motif.thumbSha256 ?? motif.fileSha256)} alt={caption} loading="lazy" />}
            <div>
              <strong>{caption}</strong>
              <p className="techpack__hint">
                {m?.status === 'error'
                  ? m.error
                  : t('techpack:motifs.credit', { source: motif?.source ?? t('techpack:motifs.unknown'), licence: motif?.licence ?? t('techpack:motifs.unknown') })}
              </p>
              <input className="text-input" data-section="motifs" data-item={r.motifId} aria-label={t('techpack:motifs.placement')} placeholder={t('techpack:motifs.placement')} value={r.placement} onChange={(e) => set(i, e.target.value)} />
            </div>
            <button type="button" className="button button--quiet-danger" aria-label={t('techpack:remove')} onClick={() => onChange(refs.filter((_, k) => k !== i))}>
              ×
            </button>
          </div>
        );
      })}
    </fieldset>
  );
}
