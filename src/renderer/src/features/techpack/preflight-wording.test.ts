import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/contract';
import { issue, PreflightIssueSchema, type PreflightParams } from '../../../../shared/techpack';
import { createI18n } from '../../lib/i18n';
import { errorMessage } from '../../lib/errors';
import { preflightMessage } from './preflight-wording';

/** Params as the main side sends them for each code (shared/techpack/preflight.ts, services/techpack). */
const PARAMS: Record<string, PreflightParams> = {
  COVER_INCOMPLETE: { field: 'name' },
  POM_VALUE_MISSING: { code: 'P2', description: 'High point of shoulder to centre hem' },
  POM_UNIT_MISSING: { code: 'P1', description: '' },
  POM_GRADE_INVALID: { code: 'P1' },
  BOM_COLOUR_UNUSED: { material: '涤纶线', colour: '#112233' },
  COLORWAY_WITHOUT_RENDER: { colorway: '靛蓝' },
  RENDER_MISSING: { colorway: '靛蓝' },
  MOTIF_MISSING: { motif: 'm-1' },
  TEXT_OVERFLOW: { excerpt: '很长的标题…' },
  TEXT_TRUNCATED: { excerpt: '很长的说明…' },
  DOCUMENT_INVALID: { path: 'pom.rows.0.value', reason: 'A measurement is a decimal number such as 1.5.' },
};
const english = (s: string) => (s.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !['cm', 'in'].includes(w));

describe('preflight findings in the UI language', () => {
  const zh = createI18n('zh');
  const codes = PreflightIssueSchema.shape.code.options;

  it.each(codes)('%s reads in Chinese without English, with its names and codes', (code) => {
    const found = issue('error', code, 'An English message for the CLI.', 'pom', null, PARAMS[code]);
    const text = preflightMessage(zh.t, 'zh', found);
    expect(english(text), text).toEqual([]);
    for (const value of Object.values(PARAMS[code] ?? {}))
      if (typeof value === 'string' && /^[\p{Script=Han}#\d]/u.test(value)) expect(text).toContain(value);
  });

  it('names a template measurement in Chinese and keeps the English wording in English', () => {
    const found = issue('error', 'POM_VALUE_MISSING', 'POM W (Waist width) has no base-size value.', 'pom', 'r1', { code: 'W', description: 'Waist width' });
    expect(preflightMessage(zh.t, 'zh', found)).toBe('尺寸 W（腰宽） 缺少基码数值。');
    const en = createI18n('en');
    expect(preflightMessage(en.t, 'en', found)).toBe(found.message);
  });
});

describe('service errors in the UI language', () => {
  it('words a reason with its params, else the code, never the English message in Chinese', async () => {
    const zh = createI18n('zh');
    const refused = new AppError('INVALID_INPUT', 'The tech pack cannot be exported yet:\n- The cover has no style number.', undefined, {
      reason: 'techpackNotExportable',
      params: { count: 2 },
    });
    // A plain object as Electron's contextBridge hands it over.
    const plain = { name: 'AppError', ...refused.toData() };
    expect(errorMessage(plain)).toContain('2 个错误');
    expect(errorMessage(new AppError('NOT_FOUND', 'No project p-1.'))).toBe(zh.t('errors:code.NOT_FOUND'));
    const en = createI18n('en');
    await en.changeLanguage('en');
    expect(errorMessage(new AppError('NOT_FOUND', 'No project p-1.'))).toBe('No project p-1.');
    expect(errorMessage(refused)).toContain('cannot be exported yet');
  });
});
