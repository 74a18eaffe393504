import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../../shared/contract';
import { createDispatcher } from '../dispatch';
import { createHandlers } from '../handlers';
import { RendererPaths } from '../renderer-paths';
import { Studio } from '../../studio';
import { makePack, tempDir, writePackFolder } from '../../services/models/test-packs';

// The models namespace through the real dispatcher, so every answer is checked against its zod schema.
let root: string;
let studio: Studio;
let dispatch: ReturnType<typeof createDispatcher>;

beforeAll(() => {
  root = tempDir('contract');
  const resources = path.join(root, 'resources');
  writePackFolder(path.join(resources, 'shipped'), makePack('jinxiu-motif-shipped', { 'image.onnx': 64 }, { kind: 'motif' }));
  fs.writeFileSync(
    path.join(resources, 'catalogue.json'),
    JSON.stringify({ catalogueVersion: 1, packs: [{ id: 'jinxiu-far', kind: 'garment', name: 'Far', version: '2', licence: 'MIT', manifestUrl: 'https://example.invalid/m.json' }] }),
  );
  studio = Studio.open({ libraryDir: path.join(root, 'library'), modelsResourcesDir: resources });
  // The packs it installs lie in this test's folder, as if picked at start.
  dispatch = createDispatcher(contract, createHandlers(studio, new RendererPaths({ folders: [root], forbidden: [studio.library.dir] })));
});

afterAll(async () => {
  await studio.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('models channels', () => {
  it('install, list, setDefault, verify and remove answer within the contract', async () => {
    const src = writePackFolder(path.join(root, 'src'), makePack('jinxiu-garment-c', { 'unet.onnx': 128 }));
    expect(await dispatch('models.installFromPath', { path: src })).toMatchObject({ ok: true, value: { id: 'jinxiu-garment-c' } });
    expect(await dispatch('models.setDefault', { id: 'jinxiu-garment-c' })).toMatchObject({ ok: true, value: { isDefault: true } });
    const list = await dispatch('models.list', {});
    expect(list.ok && (list.value as { id: string; source: string }[]).map((p) => `${p.id}:${p.source}`)).toEqual([
      'jinxiu-garment-c:library',
      'jinxiu-motif-shipped:bundled',
    ]);
    expect(await dispatch('models.verify', { id: 'jinxiu-motif-shipped' })).toEqual({ ok: true, value: { id: 'jinxiu-motif-shipped', ok: true, problems: [] } });
    expect(await dispatch('models.remove', { id: 'jinxiu-garment-c' })).toEqual({ ok: true, value: { removed: true } });
  });

  it('lists the catalogue and refuses bad requests with typed errors', async () => {
    const cat = await dispatch('models.catalogue', {});
    expect(cat).toMatchObject({ ok: true, value: [{ id: 'jinxiu-far', installedVersion: null, partialBytes: 0, activeJobId: null }] });
    // A catalogue written before recipes existed answers with none.
    expect(await dispatch('models.catalogueRecipes', {})).toEqual({ ok: true, value: [] });
    expect(await dispatch('models.download', { id: 'not-there' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await dispatch('models.remove', { id: '../etc' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await dispatch('models.installFromPath', { path: path.join(root, 'nowhere') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await dispatch('models.jobs', {})).toEqual({ ok: true, value: [] });
  });

  it('download returns a queued job that models.jobs lists and pause stops', async () => {
    const started = await dispatch('models.download', { id: 'jinxiu-far' });
    expect(started).toMatchObject({ ok: true, value: { kind: 'models.download', state: 'queued' } });
    const job = (started as { value: { id: string } }).value;
    expect(await dispatch('models.download', { id: 'jinxiu-far' })).toMatchObject({ ok: true, value: { id: job.id } });
    expect(await dispatch('models.jobs', {})).toMatchObject({ ok: true, value: [{ id: job.id }] });
    expect(await dispatch('models.pause', { jobId: job.id })).toMatchObject({ ok: true, value: { id: job.id, state: 'cancelled' } });
  });
});
