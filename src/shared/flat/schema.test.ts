import { describe, expect, it } from 'vitest';
import { AppError } from '../contract/errors';
import { loadFlat } from './migrations';
import { FLAT_SCHEMA_VERSION, FlatDocumentSchema } from './schema';
import { sampleFlat } from './testing/fixtures';

const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('flat document schema', () => {
  it('accepts a complete document and fills defaults', () => {
    const doc = sampleFlat();
    expect(doc.schemaVersion).toBe(FLAT_SCHEMA_VERSION);
    const panel = doc.views[0]!.items[0]!;
    expect(panel.type === 'shape' && panel.style.lineCap).toBe('round');
    expect(doc.attributes).toMatchObject({ category: 't-shirt', sleeveLength: 'short', neckline: null, tags: [] });
    expect(loadFlat(plain(doc))).toEqual(doc);
  });

  it('refuses broken references with a message that names them', () => {
    const doc = plain(sampleFlat());
    doc.views[0]!.items[0]!.layerId = 'nowhere';
    doc.views[0]!.poms[0]!.from.shapeId = 'ghost';
    doc.views[0]!.items[2]!.id = doc.views[0]!.items[1]!.id;
    const result = FlatDocumentSchema.safeParse(doc);
    expect(result.success).toBe(false);
    const text = result.error!.issues.map((i) => i.message).join('\n');
    expect(text).toMatch(/unknown layer "nowhere"/);
    expect(text).toMatch(/unknown shape "ghost"/);
    expect(text).toMatch(/item id "half" appears twice/);
  });

  it('refuses a path that does not start with a move', () => {
    const doc = plain(sampleFlat());
    const item = doc.views[0]!.items[0]!;
    if (item.type !== 'shape') throw new Error('fixture changed');
    item.segments = [{ kind: 'L', to: { x: 0, y: 0 } }];
    expect(() => loadFlat(doc)).toThrow(/must start with a move/);
  });
});

describe('migrations', () => {
  it('brings a version 1 flat (mm only, views by name) up to date', () => {
    const current = plain(sampleFlat());
    const { units: _units, views, ...rest } = current;
    const v1 = {
      ...rest,
      schemaVersion: 1,
      views: Object.fromEntries(views.map(({ id, ...v }) => [id, v])),
    };
    const migrated = loadFlat(v1);
    expect(migrated).toEqual(sampleFlat());
    expect(v1.schemaVersion).toBe(1); // the input is not mutated
  });

  it('refuses files from a newer studio and files that are not flats', () => {
    expect(() => loadFlat({ ...plain(sampleFlat()), schemaVersion: FLAT_SCHEMA_VERSION + 1 })).toThrow(/Update the studio/);
    expect(() => loadFlat([])).toThrow(AppError);
    expect(() => loadFlat({ name: 'x' })).toThrow(/no valid schemaVersion/);
    try {
      loadFlat({ schemaVersion: 2, id: 'x' });
      expect.unreachable();
    } catch (e) {
      expect(AppError.is(e, 'INVALID_INPUT')).toBe(true);
    }
  });
});
