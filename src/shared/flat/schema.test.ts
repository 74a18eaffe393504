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

describe('migration to version 3 (print items)', () => {
  const MOTIF = '3B2D1C4E-5F60-4A7B-8C9D-0E1F2A3B4C5D';
  /** A version 2 flat as the studio saved it: a motif print was a detail shape tagged with the motif id. */
  function v2WithTaggedPrint() {
    const doc = plain(sampleFlat()) as unknown as Record<string, unknown> & { views: Record<string, unknown>[] };
    doc.schemaVersion = 2;
    const front = doc.views[0]! as { items: Record<string, unknown>[]; poms: unknown[]; twins: unknown[]; groups: unknown[] };
    // Shapes of version 2 have no motifFill field.
    for (const item of front.items) delete item.motifFill;
    front.items.splice(1, 0, {
      id: 'print-1',
      layerId: 'body',
      name: `Print: Lotus roundel [motif:${MOTIF}]`,
      type: 'shape',
      role: 'detail',
      segments: [
        { kind: 'M', to: { x: 80, y: 50 } },
        { kind: 'L', to: { x: 120, y: 50 } },
        { kind: 'L', to: { x: 120, y: 80 } },
        { kind: 'L', to: { x: 80, y: 80 } },
        { kind: 'Z' },
      ],
      style: { stroke: '#9a6b12', strokeWidth: 1, dash: [6, 3], fill: '#d4a017', fillOpacity: 0.25, opacity: 0.8 },
      fabric: null,
    });
    // A measurement and a mirror twin that named the tagged shape cannot survive: a print has no anchors.
    front.poms.push({ id: 'pw', code: 'PW', name: 'Print width', from: { shapeId: 'print-1', segment: 0 }, to: { shapeId: 'print-1', segment: 1 }, value: 4, unit: 'cm' });
    front.twins.push({ id: 'tw', source: 'pocket', target: 'print-1' });
    front.groups.push({ id: 'g', name: '', memberIds: ['print-1', 'pocket'] });
    return doc;
  }

  it('turns a tagged detail shape into a print over the same box and keeps everything else', () => {
    const v2 = v2WithTaggedPrint();
    const before = plain(v2);
    const doc = loadFlat(v2);
    expect(doc.schemaVersion).toBe(FLAT_SCHEMA_VERSION);
    const front = doc.views[0]!;
    expect(front.items[1]).toEqual({
      id: 'print-1',
      layerId: 'body',
      name: 'Print: Lotus roundel',
      type: 'print',
      motifId: MOTIF.toLowerCase(),
      at: { x: 100, y: 65 },
      width: 40,
      height: 30,
      rotation: 0,
      opacity: 0.8,
    });
    // Everything that was not a tagged print is as before, with the new empty motif fill.
    const others = front.items.filter((i) => i.id !== 'print-1');
    expect(others).toEqual(sampleFlat().views[0]!.items);
    expect(front.poms.map((p) => p.id)).toEqual(['chest']);
    expect(front.twins).toEqual([]);
    expect(front.groups).toEqual([{ id: 'g', name: '', memberIds: ['print-1', 'pocket'] }]);
    expect(v2).toEqual(before); // the stored document is not mutated
  });

  it('leaves untagged details, and tags that are not motif ids, as shapes', () => {
    const v2 = v2WithTaggedPrint();
    const front = v2.views[0]! as { items: Record<string, unknown>[] };
    front.items[1]!.name = 'Print [motif:not-a-uuid]';
    const doc = loadFlat(v2);
    expect(doc.views[0]!.items[1]).toMatchObject({ id: 'print-1', type: 'shape', role: 'detail', motifFill: null });
    expect(doc.views[0]!.items.some((i) => i.type === 'print')).toBe(false);
  });

  it('a version 1 flat comes up through every step', () => {
    const { units: _units, views, ...rest } = plain(sampleFlat());
    const v1 = { ...rest, schemaVersion: 1, views: Object.fromEntries(views.map(({ id, ...v }) => [id, v])) };
    expect(loadFlat(v1)).toEqual(sampleFlat());
  });

  it('refuses a print with no size or a fill with no repeat, with a message that says where', () => {
    const doc = plain(sampleFlat()) as unknown as { views: { items: Record<string, unknown>[] }[] };
    doc.views[0]!.items.push({ id: 'p', layerId: 'body', type: 'print', motifId: MOTIF, at: { x: 1, y: 1 }, width: 0, height: 10 });
    expect(() => loadFlat(doc)).toThrow(/views\.0\.items\.6\.width/);
    const fill = plain(sampleFlat()) as unknown as { views: { items: Record<string, unknown>[] }[] };
    fill.views[0]!.items[0]!.motifFill = { motifId: MOTIF, repeatCm: -3 };
    expect(() => loadFlat(fill)).toThrow(/repeatCm/);
  });
});
