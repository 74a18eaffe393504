import { useTranslation } from 'react-i18next';
import { ActionButton } from './ActionButton';
import type { ActionContext } from './actions/types';
import type { EditorSession } from './model/useEditorSession';
import { templateLabel } from '../../lib/i18n-names';

/** The bar above the canvas: which flat, file and history actions, views, drawing aids, save status. */
export function EditorBar({ session, ctx }: { session: EditorSession; ctx: ActionContext }) {
  const { t } = useTranslation();
  const { flat, settings, setSetting, canvases, viewId } = session;
  const { doc } = ctx;
  return (
    <header className="ed-bar">
      <select className="ed-select" value={flat.open?.id} data-testid="flat-switch" onChange={(e) => void flat.openFlat(e.target.value)} aria-label={t('editor:flats')}>
        {flat.flats?.map((f) => (
          <option key={f.id} value={f.id}>
            {templateLabel(t, f.name)}
          </option>
        ))}
      </select>
      <div className="ed-group">
        <ActionButton name="flat-new" ctx={ctx} />
        <ActionButton name="flat-import" ctx={ctx} />
        <ActionButton name="flat-calibrate" ctx={ctx} />
      </div>
      {/* "Export" once, then the formats: room in the bar for the save status at 1440 px. */}
      <div className="ed-group" role="group" aria-label={t('editor:export')}>
        <span className="ed-group__label" aria-hidden="true">
          {t('editor:export')}
        </span>
        <ActionButton name="flat-export-svg" ctx={ctx}>
          SVG
        </ActionButton>
        <ActionButton name="flat-export-png" ctx={ctx}>
          PNG
        </ActionButton>
      </div>
      <div className="ed-group">
        <ActionButton name="undo" ctx={ctx}>↶</ActionButton>
        <ActionButton name="redo" ctx={ctx}>↷</ActionButton>
      </div>
      <div className="ed-seg" role="tablist" aria-label={t('editor:views')}>
        {doc.views.map((v) => (
          <button
            key={v.id}
            type="button"
            role="tab"
            aria-selected={v.id === viewId}
            className="ed-seg__btn"
            data-testid={`view-${v.id}`}
            onClick={() => session.showView(v.id)}
          >
            {t(`editor:view.${v.id}`)}
          </button>
        ))}
      </div>
      <label className="ed-toggle" title={t('editor:sideBySideHint')}>
        <input
          type="checkbox"
          checked={canvases.layout === 'split'}
          disabled={doc.views.length < 2}
          data-testid="toggle-side-by-side"
          onChange={(e) => canvases.setLayout(e.target.checked ? 'split' : 'single')}
        />
        {t('editor:sideBySide')}
      </label>
      <div className="ed-group">
        <label className="ed-toggle" title={t('editor:symmetryHint')}>
          <input type="checkbox" checked={settings.symmetry} data-testid="toggle-symmetry" onChange={(e) => setSetting('symmetry', e.target.checked)} />
          {t('editor:symmetry')}
        </label>
        <label className="ed-toggle">
          <input type="checkbox" checked={settings.snap} data-testid="toggle-snap" onChange={(e) => setSetting('snap', e.target.checked)} />
          {t('editor:snap')}
        </label>
        <label className="ed-toggle">
          <input type="checkbox" checked={settings.grid} data-testid="toggle-grid" onChange={(e) => setSetting('grid', e.target.checked)} />
          {t('editor:grid')}
        </label>
      </div>
      {/* One word, so it fits beside the bar's actions in both languages; the sentence is its title. */}
      <span className={`ed-status ed-status--${flat.status}`} data-testid="save-status" role="status" title={t(`editor:statusHint.${flat.status}`)}>
        {t(`editor:status.${flat.status}`)}
      </span>
    </header>
  );
}
