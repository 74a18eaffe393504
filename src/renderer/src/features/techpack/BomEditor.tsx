import { useTranslation } from 'react-i18next';
import { blankBomRow, type BomRowInput, type ResolvedBomRow, type TechPackDocument } from '../../../../shared/techpack';
import { nextId } from './ids';

type Bom = TechPackDocument['bom'];
type Override = Bom['overrides'][string];

/** The manual-row columns edited inline; the rest keep their defaults (fibre, weight...) and print blank. */
const MANUAL_COLUMNS = ['material', 'colourName', 'supplier', 'reference', 'placement', 'quantity'] as const;

/**
 * Bill of materials: rows the pack generates (one per swatch on the flats or in the project, one per
 * trim type on the flats) are read-only, as they follow the swatch and the drawing, with an override
 * for placement and quantity kept by row id; rows typed by hand are edited freely.
 */
export function BomEditor({ bom, generated, onChange }: { bom: Bom; generated: readonly ResolvedBomRow[]; onChange(bom: Bom): void }) {
  const { t } = useTranslation();

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
      {generated.length > 0 && (
        <table className="techpack__pom" data-testid="techpack-bom-generated">
          <thead>
            <tr>
              <th>{t('techpack:bom.material')}</th>
              <th>{t('techpack:bom.placement')}</th>
              <th>{t('techpack:bom.quantity')}</th>
            </tr>
          </thead>
          <tbody>
            {generated.map((row) => {
              const o = bom.overrides[row.id] ?? {};
              // Without an override the row shows what the pack generates, as the placeholder.
              return (
                <tr key={row.id}>
                  <td className="techpack__readonly" title={t('techpack:bom.generated')}>
                    {row.material}
                  </td>
                  <td>
                    <input
                      className="text-input"
                      data-section="bom"
                      data-item={row.id}
                      aria-label={t('techpack:bom.placement')}
                      placeholder={row.placement || t('techpack:bom.fromFlats')}
                      value={o.placement ?? ''}
                      onChange={(e) => setOverride(row.id, { placement: e.target.value })}
                    />
                  </td>
                  <td>
                    <input className="text-input" aria-label={t('techpack:bom.quantity')} placeholder={row.quantity} value={o.quantity ?? ''} onChange={(e) => setOverride(row.id, { quantity: e.target.value })} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {generated.length > 0 && <p className="techpack__hint">{t('techpack:bom.hint')}</p>}
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
