import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/contract';
import { openTempStudio, type TempStudio } from '../transport-test-kit';
import { testFixture } from '../../test-fixtures';

const TILES = testFixture('textile_tiles', 'images');

let t: TempStudio;
beforeEach(() => {
  t = openTempStudio();
});
afterEach(async () => {
  await t.close();
});

describe('swatches.* and prompt.* over the contract', () => {
  it('imports a swatch, links the prompt fabric to it and lists conflicts', async () => {
    const project = await t.call<{ id: string }>('projects.create', { name: 'Denim capsule' });
    const raw = await t.call<{ id: string; category: string }>('swatches.import', {
      path: path.join(TILES, 'darkdenim3.png'),
      name: 'Raw selvedge',
      category: 'denim',
      projectId: project.id,
      bom: { colour: { name: 'Indigo', hex: '1f2a44' }, fibreContent: [{ fibre: 'cotton', percent: 100 }] },
    });
    expect(raw.category).toBe('denim');

    const { extraction, swatch } = await t.call<{ extraction: { fabric: string; garment: string }; swatch: { swatchId: string } | null }>(
      'prompt.extract',
      { text: '藏青色牛仔夹克，长袖', projectId: project.id },
    );
    expect(extraction).toMatchObject({ fabric: 'denim', garment: 'jacket' });
    expect(swatch).toMatchObject({ swatchId: raw.id, reason: 'only-of-category' });

    const conflicts = await t.call<Array<{ field: string; message: { en: string } }>>('prompt.conflicts', {
      text: '藏青色牛仔夹克，长袖',
      flat: { category: 'jacket', sleeveLength: 'short', neckline: null, length: null, closure: null, pockets: null, tags: [] },
    });
    expect(conflicts.map((c) => c.field)).toEqual(['sleeve']);
    expect(conflicts[0]!.message.en).toMatch(/^Text asks for long sleeves; the flat has short sleeves\./);

    const found = await t.call<Array<{ id: string }>>('swatches.list', { query: 'selvedge' });
    expect(found.map((s) => s.id)).toEqual([raw.id]);
    expect((await t.call<Array<{ id: string }>>('swatches.categories', {})).length).toBeGreaterThanOrEqual(11);
  });

  it('answers bad input with a typed error and saves nothing', async () => {
    const bad = (await t.dispatch('swatches.import', { path: path.join(TILES, '..', 'README.md') })) as Envelope;
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const fibres = (await t.dispatch('swatches.import', {
      path: path.join(TILES, 'linen.png'),
      bom: { fibreContent: [{ fibre: 'linen', percent: 60 }] },
    })) as Envelope;
    expect(fibres).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await t.call<unknown[]>('swatches.list', {})).toEqual([]);
  });
});
