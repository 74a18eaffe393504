import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Colorway } from '../../../../shared/techpack';
import type { GenerationList } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { libraryFileUrl } from '../../lib/library-url';
import { nextId } from './ids';

type Render = GenerationList['items'][number];
/** The schema's limit on renders per colorway. */
const MAX_RENDERS = 8;

/** Colorways: name and code, and the renders from the project's history that show each one. */
export function ColorwaysEditor({ projectId, colorways, onChange }: { projectId: string; colorways: Colorway[]; onChange(colorways: Colorway[]): void }) {
  const { t } = useTranslation();
  const { client } = useStudioApi();
  const [renders, setRenders] = useState<Render[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [picking, setPicking] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client.generations.list({ projectId, limit: 200 }).then(
      (r) => live && setRenders(r.items),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [client, projectId]);

  const set = (i: number, patch: Partial<Colorway>) => onChange(colorways.map((c, k) => (k === i ? { ...c, ...patch } : c)));
  const toggle = (i: number, renderId: string) => {
    const ids = colorways[i]!.renderIds;
    if (ids.includes(renderId)) set(i, { renderIds: ids.filter((r) => r !== renderId) });
    else if (ids.length < MAX_RENDERS) set(i, { renderIds: [...ids, renderId] });
  };
  const byId = new Map(renders.map((r) => [r.id, r]));
  const add = () => {
    const id = nextId('cw', colorways.map((c) => c.id));
    onChange([...colorways, { id, name: '', code: '', colours: [], renderIds: [] }]);
  };

  return (
    <fieldset data-section="colorways" data-item="">
      <legend>{t('techpack:colorways.title')}</legend>
      {error && <p className="techpack__hint techpack__hint--error">{error}</p>}
      {colorways.map((c, i) => (
        <div key={c.id} className="techpack__card" data-testid="techpack-colorway">
          <div className="techpack__row">
            <input className="text-input" data-section="colorways" data-item={c.id} aria-label={t('techpack:colorways.name')} placeholder={t('techpack:colorways.name')} value={c.name} onChange={(e) => set(i, { name: e.target.value })} />
            <input className="text-input techpack__narrow" aria-label={t('techpack:colorways.code')} placeholder={t('techpack:colorways.code')} value={c.code} onChange={(e) => set(i, { code: e.target.value })} />
            <button type="button" className="button button--quiet-danger" aria-label={t('techpack:remove')} onClick={() => onChange(colorways.filter((_, k) => k !== i))}>
              ×
            </button>
          </div>
          <div className="techpack__thumbs">
            {c.renderIds.map((rid) => {
              const r = byId.get(rid);
              return r ? (
                <button key={rid} type="button" className="techpack__thumb techpack__thumb--on" title={t('techpack:colorways.unchoose')} onClick={() => toggle(i, rid)}>
                  <img src={libraryFileUrl(r.fileSha256)} alt={r.prompt} loading="lazy" />
                </button>
              ) : (
                <button key={rid} type="button" className="techpack__thumb techpack__thumb--missing" title={t('techpack:colorways.unchoose')} onClick={() => toggle(i, rid)}>
                  ?
                </button>
              );
            })}
            <button type="button" className="button" data-testid="techpack-colorway-pick" onClick={() => setPicking(picking === c.id ? null : c.id)}>
              {t('techpack:colorways.choose', { n: c.renderIds.length, max: MAX_RENDERS })}
            </button>
          </div>
          {picking === c.id && (
            <div className="techpack__picker" data-testid="techpack-render-picker">
              {renders.length === 0 && <p className="techpack__hint">{t('techpack:colorways.noRenders')}</p>}
              {renders.map((r) => (
                <button
                  key={r.id}
                  type="button"
                  aria-pressed={c.renderIds.includes(r.id)}
                  className={`techpack__thumb${c.renderIds.includes(r.id) ? ' techpack__thumb--on' : ''}`}
                  title={r.prompt}
                  onClick={() => toggle(i, r.id)}
                >
                  <img src={libraryFileUrl(r.fileSha256)} alt={r.prompt} loading="lazy" />
                </button>
              ))}
            </div>
          )}
        </div>
      ))}
      <button type="button" className="button" data-testid="techpack-colorway-add" onClick={add}>
        {t('techpack:colorways.add')}
      </button>
    </fieldset>
  );
}
