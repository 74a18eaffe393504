import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope, FlatSummary, FlatVersion, StoredFlat } from '../../../shared/contract';
import { execute, startEditing } from '../../../shared/flat/commands/history';
import { sampleFlat } from '../../../shared/flat/testing/fixtures';
import { openTempStudio, type TempStudio } from '../transport-test-kit';

let t: TempStudio;
beforeEach(() => {
  t = openTempStudio();
});
afterEach(async () => {
  await t.close();
});

describe('flat persistence over the contract', () => {
  it('creates, autosaves with history, names, lists versions, restores and deletes a flat', async () => {
    const project = await t.call<{ id: string }>('projects.create', { name: 'Cheongsam' });
    const created = await t.call<StoredFlat>('flats.create', { projectId: project.id, doc: sampleFlat() });
    expect((await t.call<FlatSummary[]>('flats.list', { projectId: project.id })).map((f) => f.id)).toEqual([created.flat.id]);

    const edited = execute(startEditing(created.doc), { type: 'mirror.join', viewId: 'front', shapeId: 'half' });
    await t.call('flats.save', { id: created.flat.id, doc: edited.doc, history: edited.history });
    const reopened = await t.call<StoredFlat>('flats.get', { id: created.flat.id });
    expect(reopened.doc).toEqual(edited.doc);
    expect(reopened.history?.cursor).toBe(1);

    const named = await t.call<FlatVersion>('flats.nameVersion', { id: created.flat.id, version: 2, label: 'Joined front' });
    expect(named.label).toBe('Joined front');
    const versions = await t.call<FlatVersion[]>('flats.versions', { id: created.flat.id });
    expect(versions.map((v) => [v.version, v.label])).toEqual([[2, 'Joined front'], [1, null]]);

    const restored = await t.call<StoredFlat>('flats.restore', { id: created.flat.id, version: 1 });
    expect(restored.flat.headVersion).toBe(3);
    expect(restored.doc.views[0]!.items.find((i) => i.id === 'half')).toEqual(created.doc.views[0]!.items.find((i) => i.id === 'half'));

    await t.call('flats.delete', { id: created.flat.id });
    expect(await t.call<FlatSummary[]>('flats.list', { projectId: project.id })).toEqual([]);
  });

  it('answers a malformed save with a typed error and keeps the saved flat', async () => {
    const project = await t.call<{ id: string }>('projects.create', { name: 'Mamianqun' });
    const created = await t.call<StoredFlat>('flats.create', { projectId: project.id, doc: sampleFlat() });
    const bad = (await t.dispatch('flats.save', { id: created.flat.id, doc: { ...created.doc, views: [] }, history: null })) as Envelope<unknown>;
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('BAD_REQUEST');
    const missing = (await t.dispatch('flats.get', { id: 'no-such-flat' })) as Envelope<unknown>;
    expect(missing.ok ? null : missing.error.code).toBe('NOT_FOUND');
    expect((await t.call<StoredFlat>('flats.get', { id: created.flat.id })).flat.headVersion).toBe(1);
  });
});
