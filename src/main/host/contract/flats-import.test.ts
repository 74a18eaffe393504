import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlatDocument } from '../../../shared/flat/schema';
import { openTempStudio, type TempStudio } from '../transport-test-kit';
import { testFixture } from '../../test-fixtures';

let t: TempStudio;
beforeEach(() => {
  t = openTempStudio();
});
afterEach(async () => {
  await t.close();
});

describe('flats.importSvg with views and a known measurement', () => {
  it('imports front and back as two views at the scale of the garment kind\'s usual length', async () => {
    const request = { path: testFixture('flat_views', 'side-by-side.svg'), views: 'auto', category: 'polo', known: { measurement: 'bodyLength' } };
    const imported = await t.call<{ doc: FlatDocument; views: unknown }>('flats.importSvg', request);
    expect(imported.views).toEqual({ by: 'gap', axis: 'x' });
    expect(imported.doc.views.map((v) => v.id)).toEqual(['front', 'back']);
    // The polo template is 72 cm long: the drawing's 220 px from shoulder to hem become 72 cm.
    expect(imported.doc.units.mmPerUnit).toBeCloseTo(720 / (220 * (25.4 / 96)), 9);
    expect(imported.doc.attributes.category).toBe('polo');
  });

  it('answers a length no garment has, or an unknown measurement, with a typed error', async () => {
    const path = testFixture('flat_views', 'side-by-side.svg');
    expect(await t.dispatch('flats.importSvg', { path, known: { measurement: 'bodyLength', cm: 9000 } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/Give the body length as 1 to 500 cm; got 9000\./) },
    });
    expect(await t.dispatch('flats.importSvg', { path, known: { measurement: 'waist', cm: 40 } })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
