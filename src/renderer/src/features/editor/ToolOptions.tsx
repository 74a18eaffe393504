import { useTranslation } from 'react-i18next';
import { STITCH_TYPES, type StitchType } from '../../../../shared/flat';
import { ActionButton } from './ActionButton';
import type { ActionContext } from './actions/types';
import type { EditorSession } from './model/useEditorSession';

/** The strip above the canvas: the current tool's settings, then the mirror and fit actions. */
export function ToolOptions({ session, ctx }: { session: EditorSession; ctx: ActionContext }) {
  const { t } = useTranslation();
  const { tool, settings, setSetting, swatches } = session;
  return (
    <div className="ed-options" data-testid="tool-options">
      <span className="ed-options__tool">{t(`editor:tool.${tool}`)}</span>
      {tool === 'stitch' && (
        <>
          <select className="ed-select" value={settings.stitch} data-testid="stitch-type" onChange={(e) => setSetting('stitch', e.target.value as StitchType)}>
            {STITCH_TYPES.map((s) => (
              <option key={s} value={s}>
                {t(`editor:stitch.${s}`)}
              </option>
            ))}
          </select>
          {/* No wrapping: in a crowded strip a two-character Chinese label (距边) otherwise breaks into one character a line. */}
          <label className="ed-field" style={{ whiteSpace: 'nowrap' }}>
            {t('editor:offset')}
            <input type="number" className="ed-number" min={0} max={100} step={0.5} value={settings.stitchOffset} data-testid="stitch-offset" onChange={(e) => setSetting('stitchOffset', Number(e.target.value) || 0)} />
            mm
          </label>
        </>
      )}
      {tool === 'curve' && (
        // The curve takes three clicks, and nothing on the canvas says so until the second.
        <span className="ed-options__hint" data-testid="tool-hint">
          {t('editor:hint.curve')}
        </span>
      )}
      {session.calibrating === 'points' && (
        // Calibrating by two points runs over any tool: the strip says what the clicks are for.
        <span className="ed-options__hint" data-testid="calibrate-hint" role="status">
          {t('editor:hint.calibratePoints')}
        </span>
      )}
      {tool === 'measure' && (
        <select className="ed-select" value={settings.unit} data-testid="measure-unit" onChange={(e) => setSetting('unit', e.target.value as 'cm' | 'in')}>
          <option value="cm">cm</option>
          <option value="in">in</option>
        </select>
      )}
      {tool === 'eyedropper' && (
        <select className="ed-select" value={settings.swatchId ?? ''} data-testid="eyedropper-swatch" onChange={(e) => setSetting('swatchId', e.target.value || null)}>
          <option value="">{t('editor:pickSwatch')}</option>
          {swatches.swatches.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      )}
      <span className="ed-options__spacer" />
      <ActionButton name="mirror-join" ctx={ctx} />
      <ActionButton name="mirror-twin" ctx={ctx} />
      <ActionButton name="zoom-fit" ctx={ctx} />
    </div>
  );
}
