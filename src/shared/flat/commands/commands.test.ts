import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../contract/errors';
import { flatten, isClosed, transformSegments } from '../geometry/path';
import { about, mirrorX, rotate, type Matrix } from '../geometry/matrix';
import { FlatDocumentSchema, type FlatDocument, type Shape } from '../schema';
import { itemBounds } from './items';
import { sampleFlat } from '../testing/fixtures';
import { applyCommand } from './apply';
import { canRedo, execute, parseHistory, redo, serializeHistory, startEditing, undo, type FlatState } from './history';
import type { FlatCommandInput } from './schema';

const front = (doc: FlatDocument) => doc.views.find((v) => v.id === 'front')!;
const item = (doc: FlatDocument, id: string) => front(doc).items.find((i) => i.id === id)!;
const shape = (doc: FlatDocument, id: string) => item(doc, id) as Shape;
/** JSON round trip: what a stored document or history looks like after a reload. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const mat = (m: Matrix): [number, number, number, number, number, number] => [...m];

/** Any motif id: the document names motifs by id and never looks them up. */
const LOTUS = '3b2d1c4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';

const COMMANDS: Record<string, FlatCommandInput> = {
  'item.add': {
    type: 'item.add',
    viewId: 'front',
    item: { id: 'seam2', layerId: 'details', type: 'shape', role: 'seam', segments: [{ kind: 'M', to: { x: 1, y: 2 } }, { kind: 'L', to: { x: 3, y: 4 } }], style: { stroke: '#000', strokeWidth: 0.5, fill: null } },
  },
  'item.remove': { type: 'item.remove', viewId: 'front', ids: ['panel', 'note'] },
  'item.update': { type: 'item.update', viewId: 'front', id: 'pocket', changes: { name: 'Chest pocket', role: 'panel' } },
  'item.transform': { type: 'item.transform', viewId: 'front', ids: ['panel', 'button', 'note', 'hem'], matrix: mat(about(rotate(30), { x: 100, y: 80 })) },
  'anchor.edit': { type: 'anchor.edit', viewId: 'front', shapeId: 'half', segment: 1, handle: 'c2', point: { x: 60, y: 150 } },
  'stitch.along': { type: 'stitch.along', viewId: 'front', id: 'ts', shapeId: 'panel', stitch: 'doubleNeedle', offset: 5 },
  'callout.add': { type: 'callout.add', viewId: 'front', id: 'c2', layerId: 'details', text: 'Twin needle 1/4"', at: { x: 10, y: 10 }, target: { x: 60, y: 40 } },
  'pom.add': { type: 'pom.add', viewId: 'front', id: 'len', code: 'L', name: 'Length', from: { shapeId: 'panel', segment: 1 }, to: { shapeId: 'panel', segment: 2 }, unit: 'in' },
  'fabric.assign': { type: 'fabric.assign', viewId: 'front', shapeIds: ['panel', 'pocket'], fabric: { swatchId: 'denim-12oz', angle: 0 } },
  'group.create': { type: 'group.create', viewId: 'front', id: 'g1', memberIds: ['pocket', 'button'] },
  align: { type: 'align', viewId: 'front', ids: ['pocket', 'button', 'note'], edge: 'left' },
  distribute: { type: 'distribute', viewId: 'front', ids: ['pocket', 'button', 'note'], axis: 'x' },
  'layer.add': { type: 'layer.add', viewId: 'front', layer: { id: 'trace', name: 'Trace', visible: true, locked: false } },
  'layer.update': { type: 'layer.update', viewId: 'front', id: 'details', locked: true, visible: false },
  'items.duplicate': { type: 'items.duplicate', viewId: 'front', ids: ['pocket', 'button'], newIds: ['pocket-2', 'button-2'], offset: { x: 40, y: 0 } },
  'items.paste': { type: 'items.paste', viewId: 'back', items: [{ id: 'b1', layerId: 'body', type: 'trim', trim: 'rivet', at: { x: 5, y: 5 }, size: 6 }] },
  'mirror.join': { type: 'mirror.join', viewId: 'front', shapeId: 'half' },
  'mirror.twin': { type: 'mirror.twin', viewId: 'front', shapeId: 'pocket', newId: 'pocket-r', twinId: 'tw' },
  'axis.set': { type: 'axis.set', viewId: 'front', axisX: 90 },
  'attributes.set': { type: 'attributes.set', attributes: { neckline: 'crew', pockets: 'chest' } },
  'print.add': { type: 'print.add', viewId: 'front', id: 'chest-print', layerId: 'body', motifId: LOTUS, at: { x: 100, y: 70 }, width: 30, height: 20, index: 1 },
  'motif.fill': { type: 'motif.fill', viewId: 'front', shapeIds: ['panel'], fill: { motifId: LOTUS, repeatCm: 8 } },
  calibrate: { type: 'calibrate', length: 80, cm: 52 },
};

describe('every command', () => {
  for (const [name, command] of Object.entries(COMMANDS)) {
    it(`${name}: undo restores the exact document, redo gives the same result`, () => {
      const start = startEditing(sampleFlat());
      const before = plain(start.doc);
      const done = execute(start, command);
      expect(done.doc).not.toEqual(before);
      expect(() => FlatDocumentSchema.parse(done.doc)).not.toThrow();
      const undone = undo(done);
      expect(undone.doc).toEqual(before);
      const redone = redo(undone);
      expect(redone.doc).toEqual(done.doc);
      // The same again from a stored history, as after a restart.
      const reloaded: FlatState = { doc: plain(done.doc), history: parseHistory(serializeHistory(done.history)) };
      expect(undo(reloaded).doc).toEqual(before);
    });
  }
});

describe('command semantics', () => {
  it('transform moves, rotates and scales geometry, not a canvas', () => {
    const doc = sampleFlat();
    const r = applyCommand(doc, { type: 'item.transform', viewId: 'front', ids: ['panel'], matrix: [2, 0, 0, 2, 10, 0] });
    expect(shape(r.doc, 'panel').segments[1]).toEqual({ kind: 'L', to: { x: 290, y: 80 } });
    expect(doc.views[0]!.items[0]).toEqual(sampleFlat().views[0]!.items[0]); // the input is untouched
  });

  it('a group id moves the whole group', () => {
    let s = execute(startEditing(sampleFlat()), COMMANDS['group.create']!);
    s = execute(s, { type: 'item.transform', viewId: 'front', ids: ['g1'], matrix: [1, 0, 0, 1, 5, 0] });
    expect((item(s.doc, 'button') as { at: { x: number } }).at.x).toBe(105);
    expect(shape(s.doc, 'pocket').segments[0]).toEqual({ kind: 'M', to: { x: 75, y: 60 } });
  });

  it('a POM is measured from its anchors and follows an anchor edit', () => {
    let s = execute(startEditing(sampleFlat()), COMMANDS['pom.add']!);
    const pom = () => front(s.doc).poms.find((p) => p.id === 'len')!;
    expect(pom().value).toBeCloseTo(80 / 25.4, 2);
    s = execute(s, { type: 'anchor.edit', viewId: 'front', shapeId: 'panel', segment: 2, handle: 'to', point: { x: 140, y: 140 } });
    expect(pom().value).toBeCloseTo(100 / 25.4, 2);
    expect(undo(s).doc.views[0]!.poms.find((p) => p.id === 'len')!.value).toBeCloseTo(80 / 25.4, 2);
  });

  it('stitching along a closed panel runs inside it at the given offset', () => {
    const s = execute(startEditing(sampleFlat()), { type: 'stitch.along', viewId: 'front', id: 'ts', shapeId: 'panel', stitch: 'topstitch', offset: 5 });
    const stitch = item(s.doc, 'ts');
    if (stitch.type !== 'stitch') throw new Error('not a stitch');
    const xs = stitch.segments.flatMap((seg) => (seg.kind === 'Z' ? [] : [seg.to.x]));
    const ys = stitch.segments.flatMap((seg) => (seg.kind === 'Z' ? [] : [seg.to.y]));
    expect(Math.min(...xs)).toBeCloseTo(65, 6);
    expect(Math.max(...xs)).toBeCloseTo(135, 6);
    expect(Math.min(...ys)).toBeCloseTo(45, 6);
    expect(Math.max(...ys)).toBeCloseTo(115, 6);
    expect(stitch.along).toBe('panel');
  });

  it('mirror.join turns a half outline into a closed symmetric one', () => {
    const s = execute(startEditing(sampleFlat()), COMMANDS['mirror.join']!);
    const whole = shape(s.doc, 'half');
    expect(isClosed(whole.segments)).toBe(true);
    const pts = flatten(whole.segments, 0.01)[0]!.points;
    const mirrored = flatten(transformSegments(whole.segments, mirrorX(100)), 0.01)[0]!.points;
    for (const p of mirrored) expect(Math.min(...pts.map((q) => Math.hypot(p.x - q.x, p.y - q.y)))).toBeLessThan(0.5);
  });

  it('a mirrored twin follows edits on either side', () => {
    let s = execute(startEditing(sampleFlat()), COMMANDS['mirror.twin']!);
    expect(shape(s.doc, 'pocket-r').segments[0]).toEqual({ kind: 'M', to: { x: 130, y: 60 } });
    s = execute(s, { type: 'anchor.edit', viewId: 'front', shapeId: 'pocket', segment: 0, handle: 'to', point: { x: 65, y: 55 } });
    expect(shape(s.doc, 'pocket-r').segments[0]).toEqual({ kind: 'M', to: { x: 135, y: 55 } });
    s = execute(s, { type: 'item.transform', viewId: 'front', ids: ['pocket-r'], matrix: [1, 0, 0, 1, 0, 10] });
    expect(shape(s.doc, 'pocket').segments[0]).toEqual({ kind: 'M', to: { x: 65, y: 65 } });
    s = execute(s, { type: 'axis.set', viewId: 'front', axisX: 110 });
    expect(shape(s.doc, 'pocket-r').segments[0]).toEqual({ kind: 'M', to: { x: 155, y: 65 } });
    s = execute(s, { type: 'twin.break', viewId: 'front', twinId: 'tw' });
    s = execute(s, { type: 'item.transform', viewId: 'front', ids: ['pocket'], matrix: [1, 0, 0, 1, 1, 0] });
    expect(shape(s.doc, 'pocket-r').segments[0]).toEqual({ kind: 'M', to: { x: 155, y: 65 } });
  });

  it('a locked layer refuses edits and changes nothing', () => {
    const s = execute(startEditing(sampleFlat()), COMMANDS['layer.update']!);
    const attempt = () => execute(s, { type: 'item.transform', viewId: 'front', ids: ['pocket'], matrix: [1, 0, 0, 1, 5, 5] });
    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow(/locked layer "Details"/);
    expect(s.history.entries).toHaveLength(1);
  });

  it('removing a shape removes what depends on it', () => {
    let s = execute(startEditing(sampleFlat()), COMMANDS['mirror.twin']!);
    s = execute(s, { type: 'stitch.along', viewId: 'front', id: 'ts', shapeId: 'panel', stitch: 'topstitch', offset: 3 });
    s = execute(s, { type: 'item.remove', viewId: 'front', ids: ['panel', 'pocket'] });
    const v = front(s.doc);
    expect(v.poms).toEqual([]);
    expect(v.twins).toEqual([]);
    expect(v.items.find((i) => i.id === 'ts')).toMatchObject({ along: null });
  });

  it('align and distribute place bounding boxes', () => {
    let s = execute(startEditing(sampleFlat()), COMMANDS.align!);
    expect((item(s.doc, 'button') as { at: { x: number } }).at.x).toBeCloseTo(75, 6); // left edge 70 + radius 5
    s = execute(startEditing(sampleFlat()), COMMANDS.distribute!);
    // pocket spans x 70..90, the callout 130..150: the button goes half way between their centres.
    const pocketCx = 80;
    const noteCx = 140;
    expect((item(s.doc, 'button') as { at: { x: number } }).at.x).toBeCloseTo((pocketCx + noteCx) / 2, 6);
  });

  it('bad commands get a clear message', () => {
    const s = startEditing(sampleFlat());
    expect(() => execute(s, { type: 'item.remove', viewId: 'front', ids: ['nope'] })).toThrow(/Nothing to remove called "nope"/);
    expect(() => execute(s, { type: 'item.update', viewId: 'front', id: 'panel', changes: { type: 'trim' } })).toThrow(/cannot change/);
    expect(() => execute(s, { type: 'items.duplicate', viewId: 'front', ids: ['panel'], newIds: ['pocket'], offset: { x: 0, y: 0 } })).toThrow(/already used/);
    expect(() => execute(s, { type: 'mirror.join', viewId: 'front', shapeId: 'panel' })).toThrow(/open half outline/);
    expect(() => applyCommand(s.doc, { type: 'bogus' } as unknown as FlatCommandInput)).toThrow(/Not a valid flat edit/);
  });

  it('the history survives a reload and keeps its limit', () => {
    let s = startEditing(sampleFlat(), 3);
    for (let k = 1; k <= 5; k++) s = execute(s, { type: 'item.transform', viewId: 'front', ids: ['button'], matrix: [1, 0, 0, 1, k, 0] });
    expect(s.history.entries).toHaveLength(3);
    let r: FlatState = { doc: plain(s.doc), history: parseHistory(serializeHistory(s.history)) };
    for (let k = 0; k < 3; k++) r = undo(r);
    expect((item(r.doc, 'button') as { at: { x: number } }).at.x).toBe(103);
    expect(undo(r)).toBe(r);
    while (canRedo(r)) r = redo(r);
    expect(r.doc).toEqual(s.doc);
    expect(() => parseHistory('{"version":1,"entries":[],"cursor":4,"limit":3}')).toThrow(/past its last entry/);
    expect(() => parseHistory('not json')).toThrow(AppError);
  });
});

/** Builds a command from random choices against the current document, so most of them apply. */
const step = fc.record({
  kind: fc.integer({ min: 0, max: 13 }),
  pick: fc.nat(),
  pick2: fc.nat(),
  dx: fc.double({ min: -50, max: 50, noNaN: true }),
  dy: fc.double({ min: -50, max: 50, noNaN: true }),
  angle: fc.double({ min: -180, max: 180, noNaN: true }),
  flag: fc.boolean(),
});

interface Step {
  kind: number;
  pick: number;
  pick2: number;
  dx: number;
  dy: number;
  angle: number;
  flag: boolean;
}

function commandFor(doc: FlatDocument, r: Step, n: number): FlatCommandInput | null {
  const v = front(doc);
  const ids = v.items.map((i) => i.id);
  const shapes = v.items.filter((i): i is Shape => i.type === 'shape');
  const any = ids[r.pick % Math.max(ids.length, 1)];
  const sh = shapes[r.pick % Math.max(shapes.length, 1)];
  const fresh = `x${n}`;
  switch (r.kind) {
    case 0:
      return any ? { type: 'item.transform', viewId: 'front', ids: [any], matrix: [1, 0, 0, 1, r.dx, r.dy] } : null;
    case 1:
      return any ? { type: 'item.transform', viewId: 'front', ids: [any], matrix: mat(about(rotate(r.angle), { x: 100, y: 100 })) } : null;
    case 2:
      return any ? { type: 'item.remove', viewId: 'front', ids: [any] } : null;
    case 3:
      return sh ? { type: 'items.duplicate', viewId: 'front', ids: [sh.id], newIds: [fresh], offset: { x: r.dx, y: r.dy } } : null;
    case 4: {
      const seg = sh ? sh.segments.findIndex((s, k) => k >= r.pick2 % sh.segments.length && s.kind !== 'Z') : -1;
      return sh && seg >= 0 ? { type: 'anchor.edit', viewId: 'front', shapeId: sh.id, segment: seg, handle: 'to', point: { x: 100 + r.dx, y: 100 + r.dy } } : null;
    }
    case 5:
      return sh ? { type: 'stitch.along', viewId: 'front', id: fresh, shapeId: sh.id, stitch: r.flag ? 'topstitch' : 'zigzag', offset: Math.abs(r.dx) / 10 + 1 } : null;
    case 6:
      return sh ? { type: 'mirror.twin', viewId: 'front', shapeId: sh.id, newId: fresh, twinId: `t${n}` } : null;
    case 7:
      return { type: 'layer.update', viewId: 'front', id: r.flag ? 'body' : 'details', locked: r.pick % 3 === 0, visible: r.pick2 % 2 === 0 };
    case 8:
      return ids.length >= 2 ? { type: 'align', viewId: 'front', ids: [ids[r.pick % ids.length]!, ids[r.pick2 % ids.length]!], edge: r.flag ? 'top' : 'centerX' } : null;
    case 9:
      return sh ? { type: 'fabric.assign', viewId: 'front', shapeIds: [sh.id], fabric: r.flag ? { swatchId: `s${r.pick2 % 5}`, angle: r.angle } : null } : null;
    case 10:
      return shapes.length >= 1 ? { type: 'pom.add', viewId: 'front', id: fresh, code: `P${n}`, name: '', from: { shapeId: shapes[0]!.id, segment: 0 }, to: { shapeId: sh!.id, segment: 0 }, unit: r.flag ? 'cm' : 'in' } : null;
    case 11:
      return { type: 'axis.set', viewId: 'front', axisX: r.flag ? 100 + r.dx : null };
    case 12:
      return ids.length >= 1 ? { type: 'group.create', viewId: 'front', id: fresh, memberIds: [any!] } : null;
    default:
      return sh ? { type: 'mirror.join', viewId: 'front', shapeId: sh.id } : null;
  }
}

describe('random edit sequences', () => {
  it('undoing everything returns the original document; redoing everything returns the final one', () => {
    let applied = 0;
    let attempted = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const original = plain(sampleFlat());
        let s = startEditing(sampleFlat());
        steps.forEach((r, n) => {
          const cmd = commandFor(s.doc, r, n);
          if (!cmd) return;
          try {
            s = execute(s, cmd);
          } catch (e) {
            // Refused edits (locked layer, id clash, no axis) must be AppErrors that change nothing.
            if (!AppError.is(e)) throw e;
          }
        });
        applied += s.history.entries.length;
        attempted += steps.length;
        expect(() => FlatDocumentSchema.parse(s.doc)).not.toThrow();
        const final = plain(s.doc);
        let r: FlatState = { doc: plain(s.doc), history: parseHistory(serializeHistory(s.history)) };
        while (r.history.cursor > 0) r = undo(r);
        expect(r.doc).toEqual(original);
        while (canRedo(r)) r = redo(r);
        expect(r.doc).toEqual(final);
      }),
      { numRuns: 150 },
    );
    // Guard against a generator whose commands are all refused, which would prove nothing.
    expect(applied / attempted).toBeGreaterThan(0.5);
  });
});

describe('prints and motif fills', () => {
  const placed = () => execute(startEditing(sampleFlat()), COMMANDS['print.add']!);
  const print = (doc: FlatDocument) => {
    const found = item(doc, 'chest-print');
    if (found.type !== 'print') throw new Error('not a print');
    return found;
  };

  it('print.add places a print in paint order, with full opacity and no turn by default', () => {
    const s = placed();
    expect(front(s.doc).items[1]!.id).toBe('chest-print');
    expect(print(s.doc)).toEqual({ id: 'chest-print', layerId: 'body', name: '', type: 'print', motifId: LOTUS, at: { x: 100, y: 70 }, width: 30, height: 20, rotation: 0, opacity: 1 });
  });

  it('a print moves, turns and scales with item.transform, and keeps its proportions', () => {
    let s = placed();
    s = execute(s, { type: 'item.transform', viewId: 'front', ids: ['chest-print'], matrix: [1, 0, 0, 1, 5, -10] });
    expect(print(s.doc).at).toEqual({ x: 105, y: 60 });
    s = execute(s, { type: 'item.transform', viewId: 'front', ids: ['chest-print'], matrix: mat(about(rotate(90), { x: 105, y: 60 })) });
    expect(print(s.doc).rotation).toBeCloseTo(90, 9);
    s = execute(s, { type: 'item.transform', viewId: 'front', ids: ['chest-print'], matrix: mat(about([2, 0, 0, 2, 0, 0], { x: 105, y: 60 })) });
    expect(print(s.doc)).toMatchObject({ width: 60, height: 40 });
    // Turned a quarter, the 60 x 40 print stands 40 wide and 60 tall.
    const box = itemBounds(print(s.doc))!;
    expect(box.maxX - box.minX).toBeCloseTo(40, 6);
    expect(box.maxY - box.minY).toBeCloseTo(60, 6);
    s = execute(s, { type: 'item.update', viewId: 'front', id: 'chest-print', changes: { opacity: 0.5 } });
    expect(print(s.doc).opacity).toBe(0.5);
    s = execute(s, { type: 'item.remove', viewId: 'front', ids: ['chest-print'] });
    expect(front(s.doc).items.some((i) => i.id === 'chest-print')).toBe(false);
    while (s.history.cursor > 0) s = undo(s);
    expect(s.doc).toEqual(sampleFlat());
  });

  it('motif.fill puts a repeat on panels over their cloth and clears it with null', () => {
    let s = execute(startEditing(sampleFlat()), { type: 'fabric.assign', viewId: 'front', shapeIds: ['panel'], fabric: { swatchId: 'denim-12oz', angle: 0 } });
    s = execute(s, COMMANDS['motif.fill']!);
    expect(shape(s.doc, 'panel')).toMatchObject({ fabric: { swatchId: 'denim-12oz' }, motifFill: { motifId: LOTUS, repeatCm: 8, angle: 0 } });
    s = execute(s, { type: 'motif.fill', viewId: 'front', shapeIds: ['panel'], fill: null });
    expect(shape(s.doc, 'panel').motifFill).toBeNull();
  });

  it('bad prints and fills get a clear message and change nothing', () => {
    const s = placed();
    expect(() => execute(s, { type: 'motif.fill', viewId: 'front', shapeIds: ['half'], fill: { motifId: LOTUS, repeatCm: 8 } })).toThrow(/"half" is a seam, not a panel/);
    expect(() => execute(s, { type: 'motif.fill', viewId: 'front', shapeIds: ['chest-print'], fill: { motifId: LOTUS, repeatCm: 8 } })).toThrow(/is a print, not a shape/);
    expect(() => execute(s, { type: 'motif.fill', viewId: 'front', shapeIds: ['panel'], fill: { motifId: LOTUS, repeatCm: 0 } })).toThrow(/Not a valid flat edit: fill.repeatCm/);
    expect(() => execute(s, COMMANDS['print.add']!)).toThrow(/already used/);
    expect(() => execute(s, { ...COMMANDS['print.add']!, id: 'p2', width: -1 } as FlatCommandInput)).toThrow(/Not a valid flat edit: width/);
    expect(() => execute(s, { type: 'item.update', viewId: 'front', id: 'chest-print', changes: { opacity: 2 } })).toThrow(/makes "chest-print" invalid/);
    let locked = execute(s, { type: 'layer.update', viewId: 'front', id: 'body', locked: true });
    expect(() => execute(locked, { type: 'item.transform', viewId: 'front', ids: ['chest-print'], matrix: [1, 0, 0, 1, 1, 1] })).toThrow(/locked layer/);
    locked = undo(locked);
    expect(locked.doc).toEqual(s.doc);
  });
});
