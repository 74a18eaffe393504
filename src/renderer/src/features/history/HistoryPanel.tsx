import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FABRIC_IDS, fabricEntry, type FabricId } from '../../../../shared/fabric';
import type { GenerationRecord } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { libraryFileUrl } from '../../lib/library-url';
import { ColorwayChooser } from '../variants/ColorwayChooser';
import { NO_FILTERS, useHistory, type HistoryFilters } from './useHistory';
import './history.css';

interface Props {
  projectId: string;
  /** Bumped when a render finishes, so the list asks again. */
  round: number;
  /** "Reuse these settings": the record and its sibling variant. */
  onReuse(records: GenerationRecord[]): void;
}

function saveBase64(name: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Every render of the project with its full settings: search, filters, favourites, reuse, originals, delete. */
export function HistoryPanel({ projectId, round, onReuse }: Props) {
  const { t, i18n } = useTranslation();
  const { client } = useStudioApi();
  const [filters, setFilters] = useState<HistoryFilters>(NO_FILTERS);
  const { list, status, error, reload } = useHistory(projectId, filters, round);
  const [actionError, setActionError] = useState<string | null>(null);
  const set = <K extends keyof HistoryFilters>(k: K, v: HistoryFilters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  // The pack's fabric words are mostly the lexicon's ids; a pack may know others, shown as they are.
  const isFabricId = (id: string): id is FabricId => (FABRIC_IDS as readonly string[]).includes(id);
  const fabricName = (id: string) => (isFabricId(id) ? (i18n.language === 'zh' ? fabricEntry(id).name.zh : fabricEntry(id).name.en) : id);
  const siblings = useMemo(() => {
    const byJob = new Map<string, GenerationRecord[]>();
    for (const r of list.items) if (r.jobId) byJob.set(r.jobId, [...(byJob.get(r.jobId) ?? []), r]);
    return byJob;
  }, [list.items]);

  const act = async (work: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await work();
      reload();
    } catch (err) {
      setActionError(errorMessage(err));
    }
  };

  return (
    <div className="history" data-testid="history">
      <div className="history__filters">
        <input
          className="text-input history__search"
          type="search"
          value={filters.text}
          placeholder={t('history:search')}
          aria-label={t('history:search')}
          data-testid="history-search"
          onChange={(e) => set('text', e.target.value)}
        />
        <select className="text-input" value={filters.fabric} aria-label={t('history:fabric')} data-testid="history-fabric" onChange={(e) => set('fabric', e.target.value)}>
          <option value="">{t('history:allFabrics')}</option>
          {list.fabrics.map((f) => (
            <option key={f} value={f}>
              {fabricName(f)}
            </option>
          ))}
        </select>
        <select className="text-input" value={filters.packId} aria-label={t('history:pack')} data-testid="history-pack" onChange={(e) => set('packId', e.target.value)}>
          <option value="">{t('history:allPacks')}</option>
          {[...new Set(list.packs.map((p) => p.id))].map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
        <label className="history__fav-filter">
          <input type="checkbox" checked={filters.favouritesOnly} data-testid="history-favourites" onChange={(e) => set('favouritesOnly', e.target.checked)} />
          {t('history:favouritesOnly')}
        </label>
        <span className="history__count" data-testid="history-count">
          {t('history:count', { count: list.total })}
        </span>
      </div>
      {(error || actionError) && (
        <p className="form-error" role="alert">
          {error ?? actionError}
        </p>
      )}
      {status === 'ready' && list.items.length === 0 && <p className="history__empty">{t('history:empty')}</p>}
      <ul className="history__list">
        {list.items.map((r) => (
          <li key={r.id} className="history__item" data-testid="history-item" data-generation-id={r.id} data-variant={r.variant}>
            <img className="history__thumb" src={libraryFileUrl(r.fileSha256)} alt={r.prompt} loading="lazy" />
            <div className="history__body">
              <p className="history__prompt" data-testid="history-prompt">
                {r.prompt}
              </p>
              <dl className="history__settings" data-testid="history-settings">
                <dt>{t('history:variant')}</dt>
                <dd>{t(`variants:${r.variant}`)}</dd>
                <dt>α</dt>
                <dd data-testid="history-alpha">
                  {t('variants:withNote', {
                    value: r.alpha.toFixed(2),
                    note: r.alphaAuto ? t('variants:auto') : r.variant === 'text-biased' ? t('history:packAlpha') : t('history:manual'),
                  })}
                </dd>
                <dt>{t('variants:seed')}</dt>
                <dd data-testid="history-seed">{r.seed}</dd>
                <dt>{t('variants:advanced.steps')}</dt>
                <dd>{r.steps}</dd>
                <dt>{t('variants:advanced.scheduler')}</dt>
                <dd>{t(`variants:scheduler.${r.scheduler}`, { defaultValue: r.scheduler })}</dd>
                {r.controlScale !== null && (
                  <>
                    <dt>{t('variants:advanced.lineArt')}</dt>
                    <dd data-testid="history-line-art">{r.controlScale.toFixed(2)}</dd>
                  </>
                )}
                <dt>{t('history:flat')}</dt>
                <dd>{r.flatId ? t('history:flatVersion', { version: r.flatVersion ?? '—' }) : '—'}</dd>
                <dt>{t('history:fabric')}</dt>
                <dd>{r.fabric ? fabricName(r.fabric) : '—'}</dd>
                <dt>{t('history:swatch')}</dt>
                <dd data-testid="history-swatch">{r.swatch?.name ?? '—'}</dd>
                <dt>{t('history:pack')}</dt>
                <dd data-testid="history-pack" title={r.packId} translate="no">
                  {r.packName ?? r.packId} <span className="history__pack-id">{r.packName ? `${r.packId} ${r.packVersion}` : r.packVersion}</span>
                </dd>
                {r.modelPrompt !== null && (
                  <>
                    <dt>{t('variants:modelPrompt')}</dt>
                    <dd data-testid="history-model-prompt" lang="en" translate={r.modelPrompt ? 'no' : undefined}>
                      {r.modelPrompt || t('variants:modelPromptEmpty')}
                    </dd>
                  </>
                )}
                <dt>{t('history:provider')}</dt>
                <dd>{r.provider}</dd>
                <dt>{t('history:duration')}</dt>
                <dd>{r.durationMs !== null ? `${(r.durationMs / 1000).toFixed(1)} s` : '—'}</dd>
                <dt>{t('history:when')}</dt>
                <dd>{formatTime(r.createdAt, i18n.language)}</dd>
                {r.colorways.length > 0 && (
                  <>
                    <dt>{t('history:colorways')}</dt>
                    <dd data-testid="history-colorways">{r.colorways.map((c) => c.name).join(', ')}</dd>
                  </>
                )}
              </dl>
              <div className="history__actions">
                <button
                  type="button"
                  className="button button--small"
                  aria-pressed={r.favourite}
                  data-testid="history-favourite"
                  onClick={() => void act(() => client.generations.favourite({ id: r.id, favourite: !r.favourite }))}
                >
                  {r.favourite ? `★ ${t('history:favourite')}` : `☆ ${t('history:favourite')}`}
                </button>
                <button type="button" className="button button--small" data-testid="history-reuse" onClick={() => onReuse(r.jobId ? (siblings.get(r.jobId) ?? [r]) : [r])}>
                  {t('history:reuse')}
                </button>
                <button
                  type="button"
                  className="button button--small"
                  data-testid="history-download"
                  onClick={() =>
                    void act(async () => {
                      const { pngBase64, fileName } = await client.generations.original({ id: r.id });
                      saveBase64(fileName, pngBase64);
                    })
                  }
                >
                  {t('history:download')}
                </button>
                <ColorwayChooser projectId={projectId} generationId={r.id} onChosen={reload} />
                <button
                  type="button"
                  className="button button--small button--quiet-danger"
                  data-testid="history-delete"
                  onClick={() => {
                    if (window.confirm(t('history:confirmDelete'))) void act(() => client.generations.delete({ id: r.id }));
                  }}
                >
                  {t('history:delete')}
                </button>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
