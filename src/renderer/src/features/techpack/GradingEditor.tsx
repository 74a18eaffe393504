import { useTranslation } from 'react-i18next';
import type { GradeRule, TechPackDocument } from '../../../../shared/techpack';
import { ListInput } from './ListInput';

type Pom = TechPackDocument['pom'];

/** Size range, base size and grade rules (one increment = the same step between every pair of sizes). */
export function GradingEditor({ pom, onChange }: { pom: Pom; onChange(pom: Pom): void }) {
  const { t } = useTranslation();
  const rules = pom.gradeRules;
  const setRule = (i: number, patch: Partial<GradeRule>) => onChange({ ...pom, gradeRules: rules.map((r, k) => (k === i ? { ...r, ...patch } : r)) });
  const codes = pom.rows.map((r) => r.code).filter((c) => c && !rules.some((r) => r.code === c));
  const add = () => onChange({ ...pom, gradeRules: [...rules, { code: codes[0] ?? '', unit: pom.unit, increments: ['1'] }] });
  return (
    <fieldset data-section="pom" data-item="grading">
      <legend>{t('techpack:grading.title')}</legend>
      <label className="techpack__field">
        <span>{t('techpack:grading.sizes')}</span>
        <ListInput data-testid="techpack-sizes" placeholder="S, M, L" value={pom.sizes} onChange={(sizes) => onChange({ ...pom, sizes })} />
      </label>
      <label className="techpack__field">
        <span>{t('techpack:grading.baseSize')}</span>
        <select className="text-input" data-testid="techpack-base-size" value={pom.baseSize} onChange={(e) => onChange({ ...pom, baseSize: e.target.value })}>
          {!pom.sizes.includes(pom.baseSize) && <option value={pom.baseSize}>{pom.baseSize || '—'}</option>}
          {pom.sizes.filter(Boolean).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <table className="techpack__pom">
        <thead>
          <tr>
            <th>{t('techpack:pom.code')}</th>
            <th>{t('techpack:pom.unit')}</th>
            <th>{t('techpack:grading.increments')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.map((r, i) => (
            <tr key={i} data-testid="techpack-grade-row">
              <td>
                <input className="text-input" aria-label={t('techpack:grading.ruleCode')} value={r.code} onChange={(e) => setRule(i, { code: e.target.value })} />
              </td>
              <td>
                <select className="text-input" aria-label={t('techpack:pom.unit')} value={r.unit} onChange={(e) => setRule(i, { unit: e.target.value as GradeRule['unit'] })}>
                  <option value="cm">cm</option>
                  <option value="in">in</option>
                </select>
              </td>
              <td>
                <ListInput aria-label={t('techpack:grading.increments')} placeholder="1.5" value={r.increments} onChange={(increments) => setRule(i, { increments })} />
              </td>
              <td>
                <button type="button" className="button button--quiet-danger" aria-label={t('techpack:remove')} onClick={() => onChange({ ...pom, gradeRules: rules.filter((_, k) => k !== i) })}>
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="techpack__hint">{t('techpack:grading.hint')}</p>
      <button type="button" className="button" data-testid="techpack-grade-add" onClick={add}>
        {t('techpack:grading.add')}
      </button>
    </fieldset>
  );
}
