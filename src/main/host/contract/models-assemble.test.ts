import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type Job } from '../../../shared/contract';
import { AssembleResultSchema, CatalogueSchema, type RecipeFile } from '../../../shared/contract/models';
import { createDispatcher } from '../dispatch';
import { createHandlers } from '../handlers';
import { RendererPaths } from '../renderer-paths';
import { Studio } from '../../studio';
import { makePack, sha256, tempDir, writePackFolder } from '../../services/models/test-packs';
import { SourceServer } from '../../services/models/test-server';

// models.installRecipe / installCheckpoint / catalogueRecipes through the real dispatcher (every
// answer checked against its zod schema), on the toolchain's tiny sd15-garment recipe served from 127.0.0.1.
const FIXTURE = fileURLToPath(new URL('../../services/models/fixtures/tiny-sd15-garment/', import.meta.url));
const ROLES = ['checkpoint', 'ip_adapter', 'image_encoder', 'controlnet'] as const;
const body = (role: string) => fs.readFileSync(path.join(FIXTURE, 'sources', `${role}.safetensors`));

let root: string;
let picked: string;
let studio: Studio;
let server: SourceServer;
let dispatch: ReturnType<typeof createDispatcher>;

beforeAll(async () => {
  root = tempDir('contract-assemble');
  picked = path.join(root, 'picked');
  fs.mkdirSync(picked);
  const resources = path.join(root, 'resources');
  // The bundled demonstration garment pack is the default: a real pack is offered in its place.
  writePackFolder(path.join(resources, 'demo'), makePack('jinxiu-garment-demo', { 'unet.onnx': 64 }));
  fs.cpSync(path.join(FIXTURE, 'recipe'), path.join(resources, 'recipes', 'sd15-garment'), { recursive: true });
  server = await new SourceServer().start();
  const licence = (role: string) =>
    role === 'checkpoint'
      ? { id: 'creativeml-openrail-m', name: 'CreativeML OpenRAIL-M', mustAccept: true }
      : role === 'controlnet'
        ? { id: 'openrail', name: 'OpenRAIL', mustAccept: true }
        : { id: 'apache-2.0', name: 'Apache-2.0', mustAccept: false };
  const files: RecipeFile[] = ROLES.map((role) => {
    server.files.set(`${role}.safetensors`, { body: body(role) });
    return { role, name: `tiny ${role}`, url: server.url(`${role}.safetensors`), sizeBytes: body(role).length, verify: 'sha256', sha256: sha256(body(role)), publishedFrom: 'test', publisher: 'https://example.invalid/', licence: licence(role) };
  });
  const downloadBytes = files.reduce((a, f) => a + f.sizeBytes!, 0);
  const packDataBytes = fs
    .readdirSync(path.join(FIXTURE, 'recipe'))
    .filter((f) => f.endsWith('.tensors.json'))
    .reduce((a, f) => a + (JSON.parse(fs.readFileSync(path.join(FIXTURE, 'recipe', f), 'utf8')) as { dataBytes: number }).dataBytes, 0);
  const recipe = { id: 'sd15-garment', kind: 'garment', name: 'Tiny', files, downloadBytes, packDataBytes, assemblyBytes: downloadBytes + packDataBytes, sizesComplete: true };
  fs.writeFileSync(path.join(resources, 'catalogue.json'), JSON.stringify(CatalogueSchema.parse({ catalogueVersion: 1, packs: [], recipes: [recipe] })));
  studio = Studio.open({ libraryDir: path.join(root, 'library'), modelsResourcesDir: resources });
  studio.start();
  dispatch = createDispatcher(contract, createHandlers(studio, new RendererPaths({ folders: [picked], forbidden: [studio.library.dir] })));
});

afterAll(async () => {
  await studio.close();
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const value = <T>(answer: unknown) => (answer as { value: T }).value;

describe('models.installRecipe and models.installCheckpoint', () => {
  it('refuse unaccepted licences by name with nothing downloaded, then run one job that ends with the pack and its offers', async () => {
    const refused = await dispatch('models.installRecipe', { id: 'sd15-garment', acceptLicences: ['openrail'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('CreativeML OpenRAIL-M: --accept-licence creativeml-openrail-m') } });
    expect(server.requests).toEqual([]);
    expect(await dispatch('models.installRecipe', { id: 'no-such', acceptLicences: [] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const started = value<Job>(await dispatch('models.installRecipe', { id: 'sd15-garment', acceptLicences: ['creativeml-openrail-m', 'openrail'] }));
    expect(started).toMatchObject({ kind: 'models.assemble', params: { recipeId: 'sd15-garment', acceptedLicences: ['creativeml-openrail-m', 'openrail'] } });
    expect(value<Job>(await dispatch('models.installRecipe', { id: 'sd15-garment', acceptLicences: ['creativeml-openrail-m', 'openrail'] })).id).toBe(started.id);
    expect(value(await dispatch('models.catalogueRecipes', {}))).toMatchObject([{ id: 'sd15-garment', installedPackId: null, activeJobId: started.id }]);
    expect(value<Job[]>(await dispatch('models.jobs', {})).map((j) => j.id)).toContain(started.id);

    const done = await studio.jobs.waitFor(started.id);
    expect(done.state).toBe('succeeded');
    expect(AssembleResultSchema.parse(done.result)).toEqual({ packId: 'jinxiu-sd15-garment', kind: 'garment', offerDefault: true, offerReindex: false });
    expect(done.progress).toMatchObject({ fraction: 1, message: 'installing jinxiu-sd15-garment' });
    expect(value(await dispatch('models.catalogueRecipes', {}))).toMatchObject([{ installedPackId: 'jinxiu-sd15-garment', activeJobId: null }]);
    expect(await dispatch('models.installRecipe', { id: 'sd15-garment', acceptLicences: ['creativeml-openrail-m', 'openrail'] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('take a checkpoint only from a path the technician chose, and refuse a pickle or another model family before queueing', async () => {
    const outside = path.join(root, 'elsewhere.safetensors');
    fs.writeFileSync(outside, body('checkpoint'));
    expect(await dispatch('models.installCheckpoint', { path: outside, acceptLicences: ['openrail'] })).toMatchObject({ ok: false, error: { code: 'PATH_NOT_CHOSEN' } });
    const pickle = path.join(picked, 'model.ckpt');
    fs.writeFileSync(pickle, Buffer.from('\x80\x02}q\x00.'));
    expect(await dispatch('models.installCheckpoint', { path: pickle })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('please use its .safetensors file') } });
    const ipAdapter = path.join(picked, 'adapter.safetensors');
    fs.writeFileSync(ipAdapter, body('ip_adapter'));
    expect(await dispatch('models.installCheckpoint', { path: ipAdapter, acceptLicences: ['openrail'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const before = studio.jobs.list().length;
    const mine = path.join(picked, 'Denim v3.safetensors');
    fs.writeFileSync(mine, body('checkpoint'));
    expect(await dispatch('models.installCheckpoint', { path: mine, acceptLicences: [] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('--accept-licence openrail') } });
    expect(studio.jobs.list()).toHaveLength(before);

    const job = value<Job>(await dispatch('models.installCheckpoint', { path: mine, name: 'Denim v3', acceptLicences: ['openrail'] }));
    expect(job).toMatchObject({ kind: 'models.assemble', params: { recipeId: 'sd15-garment', own: { id: 'own-denim-v3', name: 'Denim v3' } } });
    const done = await studio.jobs.waitFor(job.id);
    // Installing never makes a pack the default: the bundled demonstration still draws, so the own checkpoint is offered in its place.
    expect(done).toMatchObject({ state: 'succeeded', result: { packId: 'own-denim-v3', kind: 'garment', offerDefault: true, offerReindex: false } });
    expect(value<{ id: string; source: string; isDefault: boolean }[]>(await dispatch('models.list', {})).filter((p) => p.isDefault && p.id === 'own-denim-v3')).toEqual([]);
    // An own checkpoint's job is not the recipe's: the catalogue row says nothing of it.
    expect(value(await dispatch('models.catalogueRecipes', {}))).toMatchObject([{ activeJobId: null }]);
  });
});
