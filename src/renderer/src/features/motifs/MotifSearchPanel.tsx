import { useEffect, useId, useState, type FormEvent } from 'react';
import { MotifIcon } from '../../lib/icons';
import { PackRequired, usePackOfKind } from '../models';
import { ImportMotifsForm } from './ImportMotifsForm';
import { MotifCard } from './MotifCard';
import { MotifDetail } from './MotifDetail';
import { VectorsNote } from './VectorsNote';
import { setMotifLookup } from './motif-pictures';
import { regionSearch, useRegionSearch } from './region';
import { useStudioApi } from '../../lib/api-context';
import { SEARCH_MODES, type SearchMode } from './search-source';
import { useTranslation } from 'react-i18next';
import { useMotifSearch } from './useMotifSearch';
import './motifs.css';

interface Props {
  className?: string;
  /** The open project, whose tech pack takes motif references. */
  projectId?: string;
}

/**
 * Heritage motif search beside the flat: a query in Chinese or English, ranked by captions, by the
 * motif model or both; each result shows its credit and licence and drags onto the flat as a print.
 */
export function MotifSearchPanel({ className, projectId }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<SearchMode>('hybrid');
  const [heatmap, setHeatmap] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const { state, search } = useMotifSearch();
  const pack = usePackOfKind('motif');
  const region = useRegionSearch();
  const { client } = useStudioApi();

  // The canvas paints prints and motif fills of flats opened later: it looks their motifs up here.
  useEffect(() => {
    setMotifLookup((motifId) => client.motifs.get({ id: motifId }));
    return () => setMotifLookup(null);
  }, [client]);

  // A box drawn on the flat or a render comes here: an image region has no caption side.
  useEffect(
    () =>
      regionSearch.handle(async (q) => {
        setOpenId(null);
        setMode('vector');
        await search({ image: q.image, box: q.box, label: q.label }, 'vector');
      }),
    [search],
  );
  // Esc leaves the mode from anywhere, as it leaves any tool.
  useEffect(() => {
    if (!region.active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') regionSearch.stop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [region.active]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOpenId(null);
    void search({ text: query }, mode);
  };
  const changeMode = (next: SearchMode) => {
    setMode(next);
    if (query.trim()) void search({ text: query }, next);
  };
  // An image query has no caption side: it is ranked by the model alone.
  const searchSimilar = (image: string, label: string) => {
    setOpenId(null);
    setMode('vector');
    void search({ image, label }, 'vector');
  };
  const rerun = () => (query.trim() ? void search({ text: query }, mode) : undefined);

  const results = state.status === 'ready' ? state.results : null;
  const hasCrops = !!results?.hits.some((h) => h.bestCrop);
  const open = results?.hits.find((h) => h.motif.id === openId) ?? null;

  return (
    <section className={`panel motifs ${className ?? ''}`} data-testid="panel-motifs" aria-labelledby={`${id}-title`}>
      <header className="panel__header">
        <h2 id={`${id}-title`} className="panel__title">
          <span className="motifs__icon" aria-hidden="true">
            <MotifIcon />
          </span>
          {t('motifs:title')}
        </h2>
        {results && (
          <span className="motifs__count" data-testid="motif-count">
            {t('motifs:results', { count: results.hits.length })}
          </span>
        )}
      </header>

      <form className="motifs__query" role="search" onSubmit={submit}>
        <input
          className="text-input"
          type="search"
          aria-label={t('motifs:query')}
          placeholder={t('motifs:queryPlaceholder')}
          data-testid="motif-query"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="submit" className="button button--primary" data-testid="motif-search" disabled={!query.trim()}>
          {t('motifs:search')}
        </button>
      </form>

      <div className="motifs__region">
        <button
          type="button"
          className={`button ${region.active ? 'button--primary' : ''}`}
          aria-pressed={region.active}
          data-testid="motif-region-toggle"
          onClick={() => (region.active ? regionSearch.stop() : regionSearch.start())}
        >
          {region.active ? t('motifs:region.stop') : t('motifs:region.start')}
        </button>
        {region.active && (
          <span className="motif-note" data-testid="motif-region-hint">
            {t('motifs:region.hint')}
          </span>
        )}
        {region.error && (
          <span className="motif-note" role="alert" data-testid="motif-region-error">
            {region.error}
          </span>
        )}
      </div>

      <div className="motifs__options">
        <div className="motifs__modes" role="radiogroup" aria-label={t('motifs:mode')}>
          {SEARCH_MODES.map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={mode === m}
              className="chip"
              data-testid={`motif-mode-${m}`}
              title={t(`motifs:modeHint.${m}`)}
              onClick={() => changeMode(m)}
            >
              {t(`motifs:modes.${m}`)}
            </button>
          ))}
        </div>
        <label className="motifs__toggle" title={hasCrops ? t('motifs:heatmapHint') : t('motifs:heatmapNeedsModel')}>
          <input type="checkbox" data-testid="motif-heatmap-toggle" checked={heatmap} onChange={(e) => setHeatmap(e.target.checked)} /> {t('motifs:heatmap')}
        </label>
      </div>

      {results?.packMissing && (
        <div className="motifs__pack" data-testid="motif-pack-missing">
          {results.ranking === 'caption' && results.hits.length > 0 && <p className="motif-note">{t('motifs:captionOnly')}</p>}
          <PackRequired kind="motif" />
        </div>
      )}
      {results?.vectors && <VectorsNote key={results.label} vectors={results.vectors} onIndexed={rerun} />}
      {heatmap && results && !hasCrops && results.hits.length > 0 && <p className="motif-note">{t('motifs:heatmapNeedsModel')}</p>}

      <div className="motifs__body">
        {state.status === 'idle' && <p className="motifs__hint">{t('motifs:hint')}</p>}
        {state.status === 'searching' && (
          <p className="motifs__hint" role="status">
            {t('motifs:searching')}
          </p>
        )}
        {state.status === 'error' && (
          <div className="banner banner--error" role="alert" data-testid="motif-error">
            <strong>{t('motifs:failed')}</strong> {state.error}
          </div>
        )}
        {results && results.hits.length === 0 && !results.packMissing && (
          <p className="motifs__hint" data-testid="motif-empty">
            {t('motifs:noResults', { query: results.label })}
          </p>
        )}
        {open && <MotifDetail hit={open} heatmap={heatmap} projectId={projectId} onClose={() => setOpenId(null)} onSimilar={searchSimilar} />}
        {results && results.hits.length > 0 && (
          <ul className="motifs__grid" data-testid="motif-results" data-ranking={results.ranking} data-label={results.label}>
            {results.hits.map((hit) => (
              <MotifCard key={hit.motif.id} hit={hit} heatmap={heatmap} selected={hit.motif.id === openId} onOpen={() => setOpenId(hit.motif.id)} />
            ))}
          </ul>
        )}
      </div>

      <ImportMotifsForm canIndex={pack.status === 'ready'} onChanged={rerun} />
    </section>
  );
}
