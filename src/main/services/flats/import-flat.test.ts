import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { measuredCm } from '../../../shared/flat/scale';
import { execute, startEditing } from '../../../shared/flat/commands/history';
import { Library } from '../library';
import { testFixture } from '../../test-fixtures';
import { importFlat } from './import-flat';
import { FlatStore } from './store';
import { loadTemplates } from './templates';

let dir: string;
let library: Library;
let store: FlatStore;
let projectId: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-flat-import-'));
  library = Library.open(dir);
  store = new FlatStore(library.db);
  projectId = library.projects.create('Qipao').id;
});
afterEach(() => {
  library.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Two tees side by side, drawn 220 px from shoulder to hem on a page without physical units. */
const TWO_VIEWS = testFixture('flat_views', 'side-by-side.svg');

describe('importing a flat into the library with a known measurement', () => {
  it('stores both views at the scale of the body length given', async () => {
    const { stored, views } = await importFlat(store, projectId, TWO_VIEWS, { category: 'dress', known: { measurement: 'bodyLength', cm: 110 } });
    expect(views).toEqual({ by: 'gap', axis: 'x' });
    const again = store.get(stored.flat.id);
    expect(again.doc.views.map((v) => v.id)).toEqual(['front', 'back']);
    expect(again.doc.attributes.category).toBe('dress');
    for (const view of again.doc.views) expect(measuredCm(again.doc, view, 'bodyLength')).toBe(110);
    // A point of measure taken on the stored flat reads in garment centimetres, not the page's.
    const hps = { shapeId: again.doc.views[0]!.items[0]!.id, segment: 0 };
    const hem = { shapeId: hps.shapeId, segment: 8 };
    const measured = execute(startEditing(again.doc), { type: 'pom.add', viewId: 'front', id: 'len', code: 'L', name: 'Length', from: hps, to: hem, unit: 'cm' });
    expect(measured.doc.views[0]!.poms[0]!.value).toBe(110);
  });

  it('takes the garment kind\'s usual length from its template when none is typed', async () => {
    const templates = await loadTemplates();
    const tee = templates.find((t) => t.category === 't-shirt')!;
    expect(tee.reference).toEqual({ bodyLength: 70, chestWidth: 50 });
    expect(templates.find((t) => t.category === 'skirt')!.reference.chestWidth).toBeNull();
    const { stored } = await importFlat(store, projectId, TWO_VIEWS, { category: 't-shirt', known: { measurement: 'chestWidth' } });
    expect(measuredCm(stored.doc, stored.doc.views[0]!, 'chestWidth')).toBe(50);
  });

  it('keeps the page scale without a known measurement, and one view when asked', async () => {
    const { stored } = await importFlat(store, projectId, TWO_VIEWS, { views: 'one' });
    expect(stored.doc.units.mmPerUnit).toBe(1);
    expect(stored.doc.views).toHaveLength(1);
  });

  it('stores nothing when the measurement cannot be had, and says what to give', async () => {
    await expect(importFlat(store, projectId, TWO_VIEWS, { category: 'skirt', known: { measurement: 'chestWidth' } })).rejects.toThrow(
      'No garment template of the kind "skirt" has a chest width; give the chest width in cm.',
    );
    await expect(importFlat(store, projectId, TWO_VIEWS, { known: { measurement: 'bodyLength', cm: 0.2 } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/Give the body length as 1 to 500 cm; got 0\.2\./),
    });
    expect(store.list(projectId)).toEqual([]);
  });
});
