import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import { canUndo, execute, redo, undo, type FlatState } from '../../../shared/flat/commands/history';
import { moveBy } from '../../../shared/flat/commands/builders';
import { sampleFlat } from '../../../shared/flat/testing/fixtures';
import { Library } from '../library';
import { FlatStore } from './store';

let dir: string;
let library: Library;
let store: FlatStore;
let projectId: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-flat-store-'));
  library = Library.open(dir);
  store = new FlatStore(library.db, { keepAutosaves: 3 });
  projectId = library.projects.create('Qipao').id;
});
afterEach(() => {
  library.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const reopen = () => {
  library.close();
  library = Library.open(dir);
  store = new FlatStore(library.db, { keepAutosaves: 3 });
};

describe('FlatStore', () => {
  it('creates a flat as version 1 under its own id and lists it in its project', () => {
    const a = store.create(projectId, sampleFlat());
    const b = store.create(projectId, sampleFlat());
    expect(a.flat.id).not.toBe(b.flat.id);
    expect(a.doc.id).toBe(a.flat.id);
    expect(a.flat.headVersion).toBe(1);
    expect(a.history).toBeNull();
    expect(store.list(projectId).map((f) => f.id).sort()).toEqual([a.flat.id, b.flat.id].sort());
    expect(() => store.create('nope', sampleFlat())).toThrow(/No project/);
  });

  it('saves the document with its undo history, and both survive reopening the file', () => {
    const created = store.create(projectId, sampleFlat());
    let state: FlatState = { doc: created.doc, history: { version: 1, entries: [], cursor: 0, limit: 500 } };
    state = execute(state, { type: 'item.transform', viewId: 'front', ids: ['pocket'], matrix: [...moveBy(5, 0)] });
    const saved = store.save(created.flat.id, state.doc, state.history);
    expect(saved.headVersion).toBe(2);

    reopen();
    const loaded = store.get(created.flat.id);
    expect(loaded.doc).toEqual(state.doc);
    expect(loaded.history).toEqual(state.history);
    // The stored history still undoes the stored edit.
    const back = undo({ doc: loaded.doc, history: loaded.history! });
    expect(back.doc.views[0]!.items.find((i) => i.id === 'pocket')).toEqual(sampleFlat().views[0]!.items.find((i) => i.id === 'pocket'));
    expect(canUndo(back)).toBe(false);
  });

  it('opens a flat an older studio saved through the migrations, without the undo history recorded against it', () => {
    const created = store.create(projectId, sampleFlat());
    let state: FlatState = { doc: created.doc, history: { version: 1, entries: [], cursor: 0, limit: 500 } };
    state = execute(state, { type: 'item.transform', viewId: 'front', ids: ['pocket'], matrix: [...moveBy(5, 0)] });
    store.save(created.flat.id, state.doc, state.history);
    // As schema version 2 stored it: the pocket was a motif print, tagged in its name.
    const motif = '3b2d1c4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';
    library.db
      .prepare(
        `UPDATE flat_versions SET document = json_set(json_set(document, '$.schemaVersion', 2), '$.views[0].items[2].name', ?) WHERE flat_id = ?`,
      )
      .run(`Print [motif:${motif}]`, created.flat.id);
    const loaded = store.get(created.flat.id);
    expect(loaded.doc.views[0]!.items[2]).toMatchObject({ id: 'pocket', type: 'print', motifId: motif, width: 20, height: 20 });
    expect(loaded.history).toBeNull();
  });

  it('opens a v3 flat at v4 with its undo history migrated too, so undo gives each earlier document, migrated', () => {
    const base = sampleFlat();
    const panel = base.views[0]!.items.find((i) => i.id === 'panel')!;
    if (panel.type !== 'shape') throw new Error('the sample panel is a shape');
    panel.style.fill = '#010203';
    const created = store.create(projectId, base);
    const states: FlatState[] = [{ doc: created.doc, history: { version: 1, entries: [], cursor: 0, limit: 500 } }];
    const edit = (command: Parameters<typeof execute>[1]) => states.push(execute(states.at(-1)!, command));
    edit({ type: 'item.update', viewId: 'front', id: 'panel', changes: { style: { ...panel.style, fill: '#c0ffee' } } });
    edit({ type: 'item.add', viewId: 'front', item: { id: 'n2', layerId: 'details', type: 'callout', text: 'Tack', at: { x: 1, y: 2 }, leader: [], colour: '#abcdef' } });
    edit({ type: 'stitch.along', viewId: 'front', id: 'top', shapeId: 'panel', stitch: 'topstitch', offset: 2, colour: '#123456' });
    const head = states.at(-1)!;
    store.save(created.flat.id, head.doc, head.history);

    // As a v3 studio stored it: the same colours unparsed, in the document, the patches and the
    // commands (v4's command schema refuses these, so unmigrated the history would not even read).
    const v3 = [
      ['#010203', 'rgb(1, 2, 3)'],
      ['#c0ffee', 'RGB(192,255,238)'],
      ['#abcdef', 'rgb(171 205 239)'],
      ['#123456', 'rgb(18,52,86)'],
    ];
    const unparse = (column: string) => v3.reduce((sql, [hex, css]) => `replace(${sql}, '${hex}', '${css}')`, column);
    library.db.prepare(`UPDATE flat_versions SET document = json_set(${unparse('document')}, '$.schemaVersion', 3) WHERE flat_id = ?`).run(created.flat.id);
    library.db.prepare(`UPDATE flats SET history = ${unparse('history')} WHERE id = ?`).run(created.flat.id);
    const storedHistory = (library.db.prepare('SELECT history FROM flats WHERE id = ?').get(created.flat.id) as { history: string }).history;
    for (const [hex, css] of v3) {
      expect(storedHistory).not.toContain(hex);
      expect(storedHistory).toContain(css);
    }

    reopen();
    const loaded = store.get(created.flat.id);
    expect(loaded.doc.schemaVersion).toBe(4);
    expect(loaded.doc).toEqual(head.doc);
    expect(loaded.history).toEqual(head.history);
    let state: FlatState = { doc: loaded.doc, history: loaded.history! };
    for (let k = states.length - 2; k >= 0; k--) {
      state = undo(state);
      expect(state.doc).toEqual(states[k]!.doc);
    }
    expect(canUndo(state)).toBe(false);
    // Back at the start, with the panel's rgb(1, 2, 3) as v4 holds it.
    expect(state.doc.views[0]!.items.find((i) => i.id === 'panel')).toMatchObject({ style: { fill: '#010203' } });
    for (let k = 1; k < states.length; k++) state = redo(state);
    expect(state.doc).toEqual(head.doc);
  });

  it('keeps named versions, prunes the oldest autosaves, and restores an old version as a new head', () => {
    const created = store.create(projectId, sampleFlat());
    const id = created.flat.id;
    store.nameVersion(id, 1, '  First fit  ');
    for (let k = 1; k <= 6; k++) store.save(id, { ...created.doc, name: `Edit ${k}` }, null);
    const versions = store.versions(id);
    // Head is 7; three autosaves kept besides it; version 1 kept because it is named.
    expect(versions.map((v) => v.version)).toEqual([7, 6, 5, 4, 1]);
    expect(versions.at(-1)!.label).toBe('First fit');

    const restored = store.restore(id, 1);
    expect(restored.flat.headVersion).toBe(8);
    expect(restored.doc.name).toBe('Sample flat');
    expect(restored.history).toBeNull();
    expect(store.get(id).doc.name).toBe('Sample flat');
    expect(store.versions(id)[0]!.version).toBe(8);
  });

  it('refuses bad input with a specific message and changes nothing saved', () => {
    const created = store.create(projectId, sampleFlat());
    const id = created.flat.id;
    const bad = { version: 1 as const, entries: [], cursor: 3, limit: 500 };
    expect(() => store.save(id, created.doc, bad)).toThrow(/points past its last entry/);
    const broken = structuredClone(created.doc);
    broken.views[0]!.items[0]!.layerId = 'ghost';
    expect(() => store.save(id, broken, null)).toThrow(/unknown layer "ghost"/);
    expect(store.get(id).flat.headVersion).toBe(1);
    expect(store.versions(id)).toHaveLength(1);
    expect(() => store.nameVersion(id, 9, 'x')).toThrow(/no version 9/);
    expect(() => store.restore(id, 9)).toThrow(/no version 9/);
    try {
      store.get('missing');
      expect.unreachable();
    } catch (e) {
      expect(AppError.is(e, 'NOT_FOUND')).toBe(true);
    }
  });

  it('deletes a flat with its versions, and a project delete takes its flats along', () => {
    const a = store.create(projectId, sampleFlat());
    store.delete(a.flat.id);
    expect(() => store.get(a.flat.id)).toThrow(/No flat/);
    const b = store.create(projectId, sampleFlat());
    library.projects.delete(projectId);
    expect(() => store.versions(b.flat.id)).toThrow(/No flat/);
    const left = library.db.prepare('SELECT count(*) AS n FROM flat_versions').get() as { n: number };
    expect(left.n).toBe(0);
  });
});
