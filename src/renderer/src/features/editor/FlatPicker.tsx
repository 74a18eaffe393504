import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPathData, type FlatDocument } from '../../../../shared/flat';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { blankFlat } from './model/drawing';
import { templateLabel } from '../../lib/i18n-names';

interface Template {
  id: string;
  name: string;
  category: string;
  doc: FlatDocument;
}

/** New flat: blank, or one of the garment templates. */
export function FlatPicker({ onPick, onCancel }: { onPick(doc: FlatDocument): void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const { client } = useStudioApi();
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.flats.templates({}).then(setTemplates, (e: unknown) => setError(errorMessage(e)));
  }, [client]);
  return (
    <div className="flat-picker" data-testid="flat-picker">
      <div className="flat-picker__head">
        <h3>{t('editor:newFlat')}</h3>
        {onCancel && (
          <button type="button" className="button button--ghost" onClick={onCancel} data-testid="flat-picker-cancel">
            {t('editor:cancel')}
          </button>
        )}
      </div>
      {error && <p className="form-error">{error}</p>}
      <div className="flat-picker__grid">
        <button type="button" className="flat-picker__card" data-testid="template-blank" onClick={() => onPick(blankFlat('blank', t('editor:untitled')))}>
          <span className="flat-picker__thumb flat-picker__thumb--blank">+</span>
          <span>{t('editor:blank')}</span>
        </button>
        {templates?.map((tpl) => (
          <button key={tpl.id} type="button" className="flat-picker__card" data-testid={`template-${tpl.id}`} onClick={() => onPick(tpl.doc)}>
            <TemplateThumb doc={tpl.doc} />
            <span>{templateLabel(t, tpl.name)}</span>
          </button>
        ))}
      </div>
    </div>
  );
}

/** The template's front outline as a small inline SVG, drawn from the document. */
function TemplateThumb({ doc }: { doc: FlatDocument }) {
  const view = doc.views[0]!;
  const paths = view.items.filter((i) => i.type === 'shape').slice(0, 40);
  return (
    <svg className="flat-picker__thumb" viewBox={`0 0 ${doc.page.width} ${doc.page.height}`} aria-hidden="true">
      {paths.map((p) =>
        p.type === 'shape' ? (
          <path key={p.id} d={formatPathData(p.segments, 1)} fill={p.style.fill ?? 'none'} stroke="#1d1d1f" strokeWidth={4} />
        ) : null,
      )}
    </svg>
  );
}
