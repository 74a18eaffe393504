import { useState } from 'react';
import type { Swatch } from '../../../../shared/contract';
import { colourEntry, fabricEntry } from '../../../../shared/fabric';
import { libraryFileUrl } from '../../lib/library-url';
import { useTranslation } from 'react-i18next';

interface Props {
  swatch: Swatch;
  projectId: string | null;
  onUse(id: string, projectId: string): Promise<unknown>;
  onUnuse(id: string, projectId: string): Promise<unknown>;
  onDelete(id: string): Promise<unknown>;
}

/** One swatch: its tile, fabric, size, BOM colour and dominant colours, and its use in the project. */
export function SwatchCard({ swatch, projectId, onUse, onUnuse, onDelete }: Props) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language === 'zh';
  const [imageFailed, setImageFailed] = useState(false);
  const inProject = projectId !== null && swatch.projectIds.includes(projectId);
  const category = swatch.category ? fabricEntry(swatch.category).name : null;
  const { widthCm, heightCm } = swatch.geometry;
  const main = swatch.dominantColours[0];

  return (
    <li className="swatch-card" data-testid="swatch-card" data-swatch-id={swatch.id}>
      <div className="swatch-card__tile" style={{ background: main?.hex ?? 'var(--grid)' }} aria-hidden="true">
        {!imageFailed && <img src={libraryFileUrl(swatch.tileSha256)} alt="" onError={() => setImageFailed(true)} />}
      </div>
      <div className="swatch-card__body">
        <div className="swatch-card__name" translate="no">{swatch.name}</div>
        <div className="swatch-card__meta">
          {category && <span className="swatch-card__category">{zh ? category.zh : category.en}</span>}
          <span>{widthCm && heightCm ? t('swatches:item.size', { w: widthCm, h: heightCm }) : t('swatches:item.noSize')}</span>
          {swatch.bom.supplier && (
            <span>
              {t('swatches:item.supplier')}: {swatch.bom.supplier}
            </span>
          )}
        </div>
        <div className="swatch-card__colours" aria-label={t('swatches:item.colours')}>
          {swatch.dominantColours.map((c) => (
            <span
              key={c.hex}
              className="swatch-chip"
              style={{ background: c.hex, flexGrow: Math.max(1, Math.round(c.share * 10)) }}
              title={`${zh ? colourEntry(c.colour).name.zh : colourEntry(c.colour).name.en} ${c.hex} · ${Math.round(c.share * 100)}%`}
            />
          ))}
        </div>
        <div className="swatch-card__actions">
          {projectId &&
            (inProject ? (
              <button type="button" className="button" data-testid="swatch-unuse" onClick={() => void onUnuse(swatch.id, projectId)}>
                {t('swatches:item.unuse')}
              </button>
            ) : (
              <button type="button" className="button" data-testid="swatch-use" onClick={() => void onUse(swatch.id, projectId)}>
                {t('swatches:item.use')}
              </button>
            ))}
          <button
            type="button"
            className="button button--quiet-danger"
            data-testid="swatch-delete"
            onClick={() => {
              if (window.confirm(t('swatches:item.confirmDelete', { name: swatch.name }))) void onDelete(swatch.id);
            }}
          >
            {t('swatches:item.delete')}
          </button>
        </div>
      </div>
    </li>
  );
}
