import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { blankBomRow, type BomRowInput, type TechPackDocument } from '../../../../shared/techpack';
import type { Swatch } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { nextId } from './ids';

type Bom = TechPackDocument['bom'];
type Override = Bom['overrides'][string];

/** The manual-row columns edited inline; the rest keep their defaults (fibre, weight...) and print blank. */
const MANUAL_COLUMNS = ['material', 'colourName', 'supplier', 'reference', 'placement', 'quantity'] as const;

/**
 * Bill of materials: rows generated from the project's swatches are read-only (they follow the swatch),
 * with an override for placement and quantity kept by row id; rows typed by hand are edited freely.
 * Trim rows come from the flats at export and take overrides the same way once printed.
 */
export function BomEditor({ projectId, bom, onChange }: { projectId: string; bom: Bom; onChange(bom: Bom): void }) {
  const { t } = useTranslation();
  const { client } = useStudioApi();
  const [swatches, setSwatches] = useState<Swatch[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client.swatches.list({ projectId, limit: 200 }).then(
      (r) => live && setSwatches(r),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [client, projectId]);

  const setOverride = (rowId: string, patch: Override) => {
    const next: Override = { ...bom.overrides[rowId], ...patch };
    // An emptied field drops back to the generated value rather than printing blank.
    for (const k of ['placement', 'quantity'] as const) if (next[k] === '') delete next[k];
    const overrides = { ...bom.overrides };
    if (Object.keys(next).length === 0) delete overrides[rowId];
    else overrides[rowId] = next;
    onChange({ ...bom, overrides });
  };
  const setRow = (i: number, patch: Partial<BomRowInput>) => onChange({ ...bom, rows: bom.rows.map((r, k) => (k === i ? { ...r, ...patch } : r)) });
  const add = () => onChange({ ...bom, rows: [...bom.rows, blankBomRow(nextId('bom', bom.rows.map((r) => r.id)))] });

  return (
    <fieldset data-section="bom" data-item="">
      <legend>{t('techpack:bom.title')}</legend>
      {error && <p className="techpack__hint techpack__hint--error">{error}</p>}
      {swatches.length > 0 && (
        <table className="techpack__pom" data-testid="techpack-bom-generated">
          <thead>
            <tr>
              <th>{t('techpack:bom.material')}</th>
              <th>{t('techpack:bom.placement')}</th>
              <th>{t('techpack:bom.quantity')}</th>
            </tr>
          </thead>
          <tbody>
            {swatches.map((s) => {
              const rowId = `fabric:${s.id}`;
              const o = bom.overrides[rowId] ?? {};
              return (
                <tr key={rowId} data-section="bom" data-item={rowId}>
                  <td className="techpack__readonly" title={t('techpack:bom.generated')}>
                    {s.name}
                  </td>
                  <td>
                    <input className="text-input" aria-label={t('techpack:bom.placement')} placeholder={t('techpack:bom.fromFlats')} value={o.placement ?? ''} onChange={(e) => setOverride(rowId, { placement: e.target.value })} />
                  </td>
                  <td>
                    <input className="text-input" aria-label={t('techpack:bom.quantity')} value={o.quantity ?? ''} onChange={(e) => setOverride(rowId, { quantity: e.target.value })} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {swatches.length > 0 && <p className="techpack__hint">{t('techpack:bom.hint')}</p>}
      <table className="techpack__pom">
        <thead>
          <tr>
            {MANUAL_COLUMNS.map((c) => (
              <th key={c}>{t(`techpack:bom.${c}`)}</th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {bom.rows.map((r, i) => (
            <tr key={r.id} data-testid="techpack-bom-row">
              {MANUAL_COLUMNS.map((c) => (
                <td key={c} className={c === 'material' ? 'techpack__wide' : undefined}>
                  <input
                    className="text-input"
                    {...(c === 'material' ? { 'data-section': 'bom', 'data-item': r.id } : {})}
                    aria-label={t(`techpack:bom.${c}`)}
                    value={r[c]}
                    onChange={(e) => setRow(i, { [c]: e.target.value })}
                  />
                </td>
              ))}
              <td>
                <button type="button" className="button button--quiet-danger" aria-label={t('techpack:remove')} onClick={() => onChange({ ...bom, rows: bom.rows.filter((_, k) => k !== i) })}>
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button" data-testid="techpack-bom-add" onClick={add}>
        {t('techpack:bom.add')}
      </button>
    </fieldset>
  );
}
