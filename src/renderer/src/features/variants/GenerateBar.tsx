import { useTranslation } from 'react-i18next';
import { colourEntry, fabricEntry, type Bilingual } from '../../../../shared/fabric';
import type { Reading } from '../prompt';
import { SwatchChooser } from '../swatches';
import { FROM_PROMPT, NO_SWATCH } from './garment-swatch';
import type { GarmentSwatch } from './useGarmentSwatch';

interface Props {
  projectId: string;
  reading: Reading;
  /** The garment's swatch: the prompt's pick or the technician's. */
  swatch: GarmentSwatch;
  disabled: boolean;
  busy: boolean;
  onGenerate(): void;
  error: string | null;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * The Generate button with what will condition the render beside it: the garment's swatch (the one
 * the prompt names until another is picked), the fabric, its colours, and any place where sketch and
 * text disagree.
 */
export function GenerateBar({ projectId, reading, swatch, disabled, busy, onGenerate, error }: Props) {
  const { t, i18n } = useTranslation();
  const say = (b: Bilingual) => (i18n.language === 'zh' ? b.zh : b.en);
  const x = reading.extraction;
  // A swatch picked by hand names the fabric when the prompt does not (see swatchRequest).
  const swatchFabric = !x?.fabric && swatch.request.fabric ? swatch.request.fabric : null;
  const fromPrompt = reading.swatch ? t('variants:swatchFromPrompt', { name: reading.swatch.name }) : t('variants:swatchFromPromptNone');
  const conflicts = reading.conflicts ?? [];
  return (
    <div className="generate-bar" data-testid="generate-bar">
      <button
        type="button"
        className="button button--primary generate-bar__button"
        disabled={disabled}
        data-testid="generate"
        title={isMac ? '⌘↩' : 'Ctrl+Enter'}
        onClick={onGenerate}
      >
        {busy ? t('variants:generateMore') : t('variants:generate')}
        <kbd className="generate-bar__kbd">{isMac ? '⌘↩' : 'Ctrl+↩'}</kbd>
      </button>
      <SwatchChooser
        projectId={projectId}
        label={t('variants:garmentSwatch')}
        leading={[
          { value: FROM_PROMPT, label: fromPrompt },
          { value: NO_SWATCH, label: t('variants:swatchNone') },
        ]}
        value={swatch.choice}
        onChange={swatch.choose}
        testId="garment-swatch"
      />
      <div className="generate-bar__chips" data-testid="generate-chips">
        {x?.fabric && (
          <span className="gen-chip gen-chip--fabric" data-testid="chip-fabric" data-fabric={x.fabric}>
            {say(fabricEntry(x.fabric).name)}
          </span>
        )}
        {x?.trimFabrics.map((f) => (
          <span key={f} className="gen-chip" data-testid="chip-trim">
            {t('variants:trim')}: {say(fabricEntry(f).name)}
          </span>
        ))}
        {x?.colours.map((c) => (
          <span key={c} className="gen-chip">
            <span className="gen-chip__dot" style={{ background: colourEntry(c).hex }} aria-hidden="true" />
            {say(colourEntry(c).name)}
          </span>
        ))}
        {swatchFabric && (
          <span className="gen-chip gen-chip--fabric" data-testid="chip-fabric" data-fabric={swatchFabric}>
            {t('variants:fabricOfSwatch', { fabric: say(fabricEntry(swatchFabric).name) })}
          </span>
        )}
        {x && !x.fabric && !swatchFabric && <span className="gen-chip gen-chip--muted">{t('variants:noFabric')}</span>}
      </div>
      {conflicts.length > 0 && (
        <ul className="generate-bar__conflicts" data-testid="generate-conflicts" aria-label={t('variants:conflicts')}>
          {conflicts.map((c) => (
            <li key={c.field} data-field={c.field}>
              ⚠ {i18n.language === 'zh' ? c.message.zh : c.message.en}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="generate-error">
          {error}
        </p>
      )}
    </div>
  );
}
