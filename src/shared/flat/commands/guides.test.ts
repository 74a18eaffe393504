import { describe, expect, it } from 'vitest';
import { AppError } from '../../contract/errors';
import { loadFlat } from '../migrations';
import { FlatDocumentSchema, type FlatDocument, type Segment, type Shape } from '../schema';
import { sampleFlat } from '../testing/fixtures';
import { execute, parseHistory, redo, serializeHistory, startEditing, undo, type FlatState } from './history';
import type { FlatCommandInput } from './schema';

const front = (doc: FlatDocument) => doc.views.find((v) => v.id === 'front')!;
const shape = (doc: FlatDocument, id: string) => front(doc).items.find((i) => i.id === id) as Shape;
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Runs commands in order from the sample flat. */
function edit(...commands: FlatCommandInput[]): FlatState {
  return commands.reduce((s, c) => execute(s, c), startEditing(sampleFlat()));
}

/** Every new command undoes to the exact document and redoes to the same result, also from a stored history. */
function roundTrips(state: FlatState, command: FlatCommandInput): FlatState {
  const before = plain(state.doc);
  const done = execute(state, command);
  expect(done.doc).not.toEqual(before);
  expect(() => FlatDocumentSchema.parse(done.doc)).not.toThrow();
  expect(undo(done).doc).toEqual(before);
  expect(redo(undo(done)).doc).toEqual(done.doc);
  const reloaded: FlatState = { doc: plain(done.doc), history: parseHistory(serializeHistory(done.history)) };
  expect(undo(reloaded).doc).toEqual(before);
  return done;
}

const refused = (state: FlatState, command: FlatCommandInput, code: string, message: RegExp) => {
  const before = plain(state.doc);
  let caught: unknown;
  try {
    execute(state, command);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
  expect((caught as AppError).message).toMatch(message);
  expect(state.doc).toEqual(before);
};

const vertical = (id: string, at: number): FlatCommandInput => ({ type: 'guide.add', viewId: 'front', guide: { id, orientation: 'vertical', at } });

describe('ruler guides', () => {
  it('a document saved before guides existed loads with none', () => {
    const raw = plain(sampleFlat()) as unknown as { views: Record<string, unknown>[] };
    for (const v of raw.views) delete v.guides;
    const doc = loadFlat(raw);
    expect(doc.views.map((v) => v.guides)).toEqual([[], []]);
  });

  it('add, move and remove are each one undoable edit', () => {
    let s = roundTrips(startEditing(sampleFlat()), vertical('g1', 42.5));
    expect(front(s.doc).guides).toEqual([{ id: 'g1', orientation: 'vertical', at: 42.5 }]);
    s = roundTrips(s, { type: 'guide.add', viewId: 'front', guide: { id: 'g2', orientation: 'horizontal', at: 10 } });
    s = roundTrips(s, { type: 'guide.move', viewId: 'front', id: 'g1', at: 77 });
    expect(front(s.doc).guides.map((g) => [g.id, g.at])).toEqual([['g1', 77], ['g2', 10]]);
    s = roundTrips(s, { type: 'guide.remove', viewId: 'front', ids: ['g2'] });
    expect(front(s.doc).guides.map((g) => g.id)).toEqual(['g1']);
    // The back view keeps its own guides.
    expect(s.doc.views.find((v) => v.id === 'back')!.guides).toEqual([]);
  });

  it('refuses a taken id, an unknown guide and a non-finite position, changing nothing', () => {
    const s = edit(vertical('g1', 10));
    refused(s, vertical('g1', 20), 'CONFLICT', /already used/);
    refused(s, vertical('panel', 20), 'CONFLICT', /already used/);
    refused(s, { type: 'guide.move', viewId: 'front', id: 'nope', at: 3 }, 'INVALID_INPUT', /No guide "nope"/);
    refused(s, { type: 'guide.remove', viewId: 'front', ids: ['g1', 'nope'] }, 'INVALID_INPUT', /No guide "nope"/);
    refused(s, { type: 'guide.move', viewId: 'front', id: 'g1', at: Number.NaN }, 'INVALID_INPUT', /Not a valid flat edit/);
    refused(s, vertical('g2', Number.POSITIVE_INFINITY), 'INVALID_INPUT', /Not a valid flat edit/);
  });
});

describe('anchor.move', () => {
  const curve = (): FlatCommandInput => ({
    type: 'item.add',
    viewId: 'front',
    item: {
      id: 'yoke',
      layerId: 'body',
      type: 'shape',
      role: 'panel',
      segments: [
        { kind: 'M', to: { x: 0, y: 0 } },
        { kind: 'C', c1: { x: 10, y: -5 }, c2: { x: 20, y: -5 }, to: { x: 30, y: 0 } },
        { kind: 'C', c1: { x: 35, y: 10 }, c2: { x: 35, y: 20 }, to: { x: 30, y: 30 } },
        { kind: 'C', c1: { x: 20, y: 35 }, c2: { x: 5, y: 5 }, to: { x: 0, y: 0 } },
        { kind: 'Z' },
      ],
      style: { stroke: '#000', strokeWidth: 1, fill: null },
    },
  });

  it('moves the anchor and both its handles by the same delta, in one undoable edit', () => {
    const s = roundTrips(edit(curve()), { type: 'anchor.move', viewId: 'front', shapeId: 'yoke', segment: 1, to: { x: 33, y: 4 } });
    const segs = shape(s.doc, 'yoke').segments;
    expect(segs[1]).toEqual({ kind: 'C', c1: { x: 10, y: -5 }, c2: { x: 23, y: -1 }, to: { x: 33, y: 4 } });
    expect(segs[2]).toEqual({ kind: 'C', c1: { x: 38, y: 14 }, c2: { x: 35, y: 20 }, to: { x: 30, y: 30 } });
    expect(s.history.entries).toHaveLength(2);
  });

  it('moves a closed outline\'s start point and its closing copy together, with both handles', () => {
    const s = edit(curve(), { type: 'anchor.move', viewId: 'front', shapeId: 'yoke', segment: 0, to: { x: -2, y: 1 } });
    const segs = shape(s.doc, 'yoke').segments;
    expect(segs[0]).toEqual({ kind: 'M', to: { x: -2, y: 1 } });
    expect(segs[1]).toMatchObject({ c1: { x: 8, y: -4 } });
    expect(segs[3]).toMatchObject({ c2: { x: 3, y: 6 }, to: { x: -2, y: 1 } });
  });

  it('with mirror, moves the mirror-image anchor of a joined panel and keeps an axis anchor on the axis', () => {
    // sample "half" ends on the axis (x = 100); joined, it is symmetric about it.
    const s = edit({ type: 'mirror.join', viewId: 'front', shapeId: 'half' });
    const joined = shape(s.doc, 'half').segments;
    const k = joined.findIndex((seg) => seg.kind !== 'Z' && seg.to.x === 130 && seg.to.y === 160);
    expect(k).toBeGreaterThan(0);
    const moved = roundTrips(s, { type: 'anchor.move', viewId: 'front', shapeId: 'half', segment: 1, to: { x: 64, y: 158 }, mirror: true });
    const segs = shape(moved.doc, 'half').segments;
    expect(segs[1]).toMatchObject({ to: { x: 64, y: 158 }, c2: { x: 64, y: 138 } });
    expect(segs[k]).toMatchObject({ to: { x: 136, y: 158 } });
    const onAxis = edit(
      { type: 'mirror.join', viewId: 'front', shapeId: 'half' },
      { type: 'anchor.move', viewId: 'front', shapeId: 'half', segment: 0, to: { x: 97, y: 125 }, mirror: true },
    );
    expect(shape(onAxis.doc, 'half').segments[0]).toEqual({ kind: 'M', to: { x: 100, y: 125 } });
    // Without mirror the same move leaves the other side alone.
    const alone = edit({ type: 'mirror.join', viewId: 'front', shapeId: 'half' }, { type: 'anchor.move', viewId: 'front', shapeId: 'half', segment: 1, to: { x: 64, y: 158 } });
    expect(shape(alone.doc, 'half').segments[k]).toMatchObject({ to: { x: 130, y: 160 } });
  });

  it('a mirrored twin follows the moved anchor', () => {
    const s = edit(
      { type: 'mirror.twin', viewId: 'front', shapeId: 'pocket', newId: 'pocket-r', twinId: 'tw' },
      { type: 'anchor.move', viewId: 'front', shapeId: 'pocket', segment: 1, to: { x: 95, y: 55 } },
    );
    const twin = shape(s.doc, 'pocket-r').segments[1] as Extract<Segment, { kind: 'L' }>;
    expect(twin.to).toEqual({ x: 105, y: 55 });
  });

  it('refuses a segment with no anchor and a locked layer', () => {
    const s = edit(curve());
    refused(s, { type: 'anchor.move', viewId: 'front', shapeId: 'yoke', segment: 4, to: { x: 1, y: 1 } }, 'INVALID_INPUT', /has no anchor/);
    refused(s, { type: 'anchor.move', viewId: 'front', shapeId: 'button', segment: 0, to: { x: 1, y: 1 } }, 'INVALID_INPUT', /not a shape/);
    const locked = execute(s, { type: 'layer.update', viewId: 'front', id: 'body', locked: true });
    refused(locked, { type: 'anchor.move', viewId: 'front', shapeId: 'yoke', segment: 1, to: { x: 1, y: 1 } }, 'CONFLICT', /locked/);
  });
});
