import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measuredCm } from '../../../../../shared/flat';
import { testFixture } from '../../../../../main/test-fixtures';
import { checkKnown, foundKey, guessCategory, importWith, prefill, previewImport, scaleChoices, type ImportChoices, type KindReference } from './import-form';

const KINDS = ['t-shirt', 'shirt', 'polo', 'hoodie', 'jacket', 'coat', 'dress', 'skirt', 'trousers', 'shorts'];
const REFS: KindReference[] = [
  { category: 't-shirt', name: 'T-shirt', reference: { bodyLength: 70, chestWidth: 50 } },
  { category: 'skirt', name: 'A-line skirt', reference: { bodyLength: 61.8, chestWidth: null } },
];
const TWO_VIEWS = fs.readFileSync(testFixture('flat_views', 'side-by-side.svg'), 'utf8');
const choices = (patch: Partial<ImportChoices> = {}): ImportChoices => ({ views: 'auto', category: 't-shirt', scale: 'bodyLength', cm: '70', ...patch });

describe('the import form', () => {
  it('guesses the garment kind from the file name, in English or Chinese', () => {
    expect(guessCategory('Silk qipao 2024', KINDS)).toBe('dress');
    expect(guessCategory('旗袍-正背面', KINDS)).toBe('dress');
    expect(guessCategory('aaron_t-shirt', KINDS)).toBe('t-shirt');
    expect(guessCategory('basic tee', KINDS)).toBe('t-shirt');
    expect(guessCategory('Denim JACKET flat', KINDS)).toBe('jacket');
    expect(guessCategory('aaron', KINDS)).toBe('other');
  });

  it('offers a kind its measurements and prefills them from its template', () => {
    expect(scaleChoices('t-shirt')).toEqual(['bodyLength', 'chestWidth', 'page']);
    expect(scaleChoices('skirt')).toEqual(['bodyLength', 'page']);
    expect(prefill(REFS, 't-shirt', 'chestWidth')).toBe('50');
    expect(prefill(REFS, 'skirt', 'chestWidth')).toBe('');
    expect(prefill(REFS, 'other', 'bodyLength')).toBe('');
    expect(prefill(REFS, 't-shirt', 'page')).toBe('');
  });

  it('previews the views it found and the line it measures on, and says how it told them apart', () => {
    const preview = previewImport(TWO_VIEWS, 'tee', choices());
    if (!preview.ok) throw new Error(preview.message);
    expect(preview.doc.views.map((v) => v.id)).toEqual(['front', 'back']);
    expect(foundKey(preview.views)).toBe('editor:import.found.sideBySide');
    expect(foundKey({ by: 'names' })).toBe('editor:import.found.names');
    expect(preview.line!.length).toBeCloseTo(220 * (25.4 / 96), 9);
    expect(previewImport(TWO_VIEWS, 'tee', choices({ views: 'one' }))).toMatchObject({ ok: true, views: { by: 'one' } });
    expect(previewImport('<svg', 'broken', choices())).toMatchObject({ ok: false, message: expect.stringMatching(/not well-formed/) });
  });

  it('takes only a length in range, and imports at the scale it gives', () => {
    const preview = previewImport(TWO_VIEWS, 'tee', choices());
    expect(checkKnown(choices({ cm: '' }), preview)).toEqual({ ok: false, error: 'notNumber' });
    expect(checkKnown(choices({ cm: 'long' }), preview)).toEqual({ ok: false, error: 'notNumber' });
    expect(checkKnown(choices({ cm: '0.5' }), preview)).toEqual({ ok: false, error: 'range' });
    expect(checkKnown(choices({ cm: '72,5' }), preview)).toEqual({ ok: true, cm: 72.5 });
    expect(checkKnown(choices({ scale: 'page', cm: '' }), preview)).toEqual({ ok: true, cm: null });
    const doc = importWith(TWO_VIEWS, 'tee', choices(), 72.5);
    expect(doc.attributes.category).toBe('t-shirt');
    expect(measuredCm(doc, doc.views[1]!, 'bodyLength')).toBe(72.5);
    expect(importWith(TWO_VIEWS, 'tee', choices({ scale: 'page' }), null).units.mmPerUnit).toBe(1);
  });
});
