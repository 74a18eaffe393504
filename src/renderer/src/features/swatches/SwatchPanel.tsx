import { useId, useState } from 'react';
import { FABRICS, type FabricId } from '../../../../shared/fabric';
import { ImportSwatchForm } from './ImportSwatchForm';
import { SwatchCard } from './SwatchCard';
import { useTranslation } from 'react-i18next';
import { useSwatches } from './useSwatches';
import './swatches.css';

interface Props {
  className?: string;
  /** The open project. */
  projectId: string;
}

/** The swatch library beside the editor: search, import, and which swatches the project uses. */
export function SwatchPanel({ className, projectId }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState<FabricId | ''>('');
  const [projectOnly, setProjectOnly] = useState(false);
  // useTranslation re-renders on a language switch, so reading the language here stays current.
  const zh = i18n.language === 'zh';
  const swatches = useSwatches({
    ...(query.trim() ? { query: query.trim() } : {}),
    ...(category ? { category } : {}),
    ...(projectOnly && projectId ? { projectId } : {}),
  });
  const { state } = swatches;

  return (
    <section className={`panel swatches ${className ?? ''}`} data-testid="panel-swatches" aria-labelledby={`${id}-title`}>
      <header className="panel__header">
        <h2 id={`${id}-title`} className="panel__title">
          {t('swatches:title')}
        </h2>
        {state.status === 'ready' && <span className="swatches__count">{t('swatches:count', { count: state.swatches.length })}</span>}
      </header>

      <div className="swatches__filters">
        <input
          className="text-input"
          aria-label={t('swatches:search')}
          placeholder={t('swatches:searchPlaceholder')}
          data-testid="swatch-search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <select className="text-input" aria-label={t('swatches:anyCategory')} value={category} onChange={(e) => setCategory(e.target.value as FabricId | '')}>
          <option value="">{t('swatches:anyCategory')}</option>
          {FABRICS.map((f) => (
            <option key={f.id} value={f.id}>
              {zh ? f.name.zh : f.name.en}
            </option>
          ))}
        </select>
        {projectId && (
          <label className="swatches__toggle">
            <input type="checkbox" checked={projectOnly} onChange={(e) => setProjectOnly(e.target.checked)} /> {t('swatches:projectOnly')}
          </label>
        )}
      </div>

      {state.status === 'error' && (
        <div className="banner banner--error" role="alert">
          <span>
            <strong>{t('swatches:loadFailed')}</strong> {state.error}
          </span>
          <button type="button" className="button" onClick={() => void swatches.reload()}>
            {t('swatches:retry')}
          </button>
        </div>
      )}
      {state.status === 'ready' &&
        (state.swatches.length === 0 ? (
          <p className="swatches__empty" data-testid="swatches-empty">
            {t('swatches:empty')}
          </p>
        ) : (
          <ul className="swatches__list" data-testid="swatch-list">
            {state.swatches.map((s) => (
              <SwatchCard
                key={s.id}
                swatch={s}
                projectId={projectId}
                onUse={swatches.addToProject}
                onUnuse={swatches.removeFromProject}
                onDelete={swatches.remove}
              />
            ))}
          </ul>
        ))}

      <ImportSwatchForm projectId={projectId} onImport={swatches.importPhoto} />
    </section>
  );
}
