import { useEffect, type ReactNode, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { useRegionSearch } from '../features/motifs';
import { DOCK_TABS, type DockTab } from './project-memory';

interface Props {
  tab: DockTab;
  onTab(tab: DockTab): void;
  /** Where the editor puts the open flat's layers, properties, arrange and versions. */
  layersRef: Ref<HTMLDivElement>;
  /** Whether a flat is open, so the layers pane has something to show. */
  hasFlat: boolean;
  generate: ReactNode;
  swatches: ReactNode;
  motifs: ReactNode;
}

/**
 * The one column beside the canvas, its panels as tabs, so the canvas keeps the rest of the window.
 * Every pane stays mounted while hidden: a search, a half-typed import or a render's progress is
 * where it was when its tab comes back.
 */
export function Dock({ tab, onTab, layersRef, hasFlat, generate, swatches, motifs }: Props) {
  const { t } = useTranslation();
  const region = useRegionSearch();
  // A region drawn on the flat or a render is answered in the motif pane: show it.
  const searching = region.pending !== null;
  useEffect(() => {
    if (searching) onTab('motifs');
  }, [searching, onTab]);

  const pane = (id: DockTab, content: ReactNode) => (
    <div key={id} className={`dock__pane dock__pane--${id}`} role="tabpanel" id={`dock-pane-${id}`} aria-labelledby={`dock-tab-${id}`} hidden={tab !== id} data-testid={`dock-pane-${id}`}>
      {content}
    </div>
  );

  return (
    <aside className="dock" data-testid="dock" aria-label={t('app:dock.label')}>
      <div className="dock__tabs" role="tablist" aria-label={t('app:dock.label')}>
        {DOCK_TABS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`dock-tab-${id}`}
            aria-controls={`dock-pane-${id}`}
            aria-selected={tab === id}
            className="dock__tab"
            data-testid={`dock-tab-${id}`}
            onClick={() => onTab(id)}
          >
            {t(`app:dock.${id}`)}
          </button>
        ))}
      </div>
      {pane(
        'layers',
        <>
          {!hasFlat && <p className="dock__note">{t('app:dock.noFlat')}</p>}
          <div ref={layersRef} className="dock__layers" />
        </>,
      )}
      {pane('generate', generate)}
      {pane('swatches', swatches)}
      {pane('motifs', motifs)}
    </aside>
  );
}
