import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogueSchema, type RecipeFile } from '../../../shared/contract/models';
import { openManager, sha256, tempDir, treeOf } from './test-packs';
import { SourceServer } from './test-server';
import { readTwin, writeSafetensors } from './assembly/test-kit';

// A catalogue recipe served from 127.0.0.1: the toolchain's tiny sd15-garment recipe and tiny twins
// (tools/models/recipes build_tiny and twins.py, seed 3, as twin-parity.ts makes them).
const FIXTURE = fileURLToPath(new URL('./fixtures/tiny-sd15-garment/', import.meta.url));
const source = (role: string) => fs.readFileSync(path.join(FIXTURE, 'sources', `${role}.safetensors`));
const [checkpoint, ipAdapter, imageEncoder, controlnet] = ['checkpoint', 'ip_adapter', 'image_encoder', 'controlnet'].map(source) as [Buffer, Buffer, Buffer, Buffer];
const GRAPHS = ['text_encoder', 'unet', 'vae_decoder', 'vae_encoder', 'image_encoder', 'image_projection', 'controlnet'];
const dataBytes = GRAPHS.reduce((a, g) => a + (JSON.parse(fs.readFileSync(path.join(FIXTURE, 'recipe', `${g}.tensors.json`), 'utf8')) as { dataBytes: number }).dataBytes, 0);

let root: string;
let server: SourceServer;
let env: ReturnType<typeof openManager>;

beforeEach(async () => {
  root = tempDir('recipe-install');
  fs.cpSync(path.join(FIXTURE, 'recipe'), path.join(root, 'recipes', 'sd15-garment'), { recursive: true });
  server = await new SourceServer().start();
  server.files.set('checkpoint.safetensors', { body: checkpoint });
  server.files.set('ip_adapter.safetensors', { body: ipAdapter });
  server.files.set('image_encoder.safetensors', { body: imageEncoder });
  server.files.set('controlnet.safetensors', { body: controlnet });
  env = openManager(root, { recipesDir: path.join(root, 'recipes'), retries: 0 });
  env.jobs.start();
});

afterEach(async () => {
  await env.close();
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

function writeCatalogue(files: RecipeFile[]): void {
  const download = files.reduce((a, f) => a + (f.sizeBytes ?? 0), 0);
  const recipe = { id: 'sd15-garment', kind: 'garment', name: 'Tiny', files, downloadBytes: download, packDataBytes: dataBytes, assemblyBytes: download + dataBytes, sizesComplete: files.every((f) => f.sizeBytes !== null) };
  const json = CatalogueSchema.parse({ catalogueVersion: 1, packs: [], recipes: [recipe] });
  fs.writeFileSync(path.join(root, 'catalogue.json'), JSON.stringify(json));
}

const openrail = { id: 'creativeml-openrail-m', name: 'CreativeML OpenRAIL-M', url: 'https://example.invalid/licence', mustAccept: true };
const apache = { id: 'apache-2.0', name: 'Apache-2.0', mustAccept: false };
const openrailCn = { id: 'openrail', name: 'OpenRAIL', mustAccept: true };
const base = { publishedFrom: 'test', publisher: 'https://example.invalid/' };
const published = (role: string, body: Buffer, licence: RecipeFile['licence']): RecipeFile => ({
  ...base,
  role,
  name: `tiny ${role}`,
  url: server.url(`${role}.safetensors`),
  sizeBytes: body.length,
  verify: 'sha256',
  sha256: sha256(body),
  licence,
});
const files = (over: { checkpoint?: Partial<RecipeFile> } = {}): RecipeFile[] => [
  { ...published('checkpoint', checkpoint, openrail), ...over.checkpoint },
  // Hashed as LCM-LoRA and Chinese-CLIP are: by what the server states at first download.
  { ...published('ip_adapter', ipAdapter, apache), sizeBytes: null, verify: 'server-sha256', sha256: null },
  published('image_encoder', imageEncoder, apache),
  published('controlnet', controlnet, openrailCn),
];
const ACCEPT = ['creativeml-openrail-m', 'openrail'];
const models = () => path.join(env.library.dir, 'models');
const installed = () => fs.readdirSync(models()).filter((f) => !f.startsWith('.'));
const pins = () => env.library.db.prepare("SELECT key FROM settings WHERE key LIKE 'models.source-pin.%'").all();

describe('ModelManager.installRecipe', () => {
  it('refuses until the OpenRAIL licence is accepted, downloading nothing, then downloads, assembles and installs a pack that verifies', async () => {
    writeCatalogue(files());
    await expect(env.models.installRecipe('sd15-garment')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message:
        'The recipe sd15-garment downloads files under licences you must accept first: CreativeML OpenRAIL-M (https://example.invalid/licence): --accept-licence creativeml-openrail-m; OpenRAIL: --accept-licence openrail. Nothing was downloaded.',
    });
    expect(server.requests).toEqual([]);
    expect(installed()).toEqual([]);
    await expect(env.models.installRecipe('sd15-garment', { accepted: ['creativeml-openrail-m'] })).rejects.toThrow('--accept-licence openrail. Nothing');

    const pack = await env.models.installRecipe('sd15-garment', { accepted: ACCEPT });
    expect(pack).toMatchObject({ id: 'jinxiu-sd15-garment', kind: 'garment', source: 'library', lineArtControl: expect.anything(), verification: { status: 'verified' } });
    expect(await env.models.verify('jinxiu-sd15-garment')).toEqual({ id: 'jinxiu-sd15-garment', ok: true, problems: [] });
    expect(fs.readdirSync(path.join(models(), 'jinxiu-sd15-garment'))).toEqual(expect.arrayContaining(GRAPHS.flatMap((g) => [`${g}.onnx`, `${g}.onnx.data`])));
    expect(pins()).toHaveLength(1);
    expect(treeOf(path.join(models(), '.staging'))).toEqual([]);

    // The download cache serves a second assembly without a byte downloaded.
    await env.models.remove('jinxiu-sd15-garment');
    server.requests.length = 0;
    await env.models.installRecipe('sd15-garment', { accepted: ACCEPT });
    expect(server.requests.filter((r) => r.path.startsWith('/cdn/'))).toEqual([]);
  });

  it('refuses a body whose hash differs from the one the server states, installing nothing and pinning nothing', async () => {
    server.files.set('ip_adapter.safetensors', { body: ipAdapter, statedSha256: sha256(checkpoint) });
    writeCatalogue(files());
    await expect(env.models.installRecipe('sd15-garment', { accepted: ACCEPT })).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    expect(installed()).toEqual([]);
    expect(pins()).toEqual([]);
    expect(await env.models.list()).toEqual([]);
  });

  it('refuses a file that is not what its role needs, naming it, and installs nothing', async () => {
    // The IP-Adapter's bytes offered as the checkpoint: recognised by its keys before any writing.
    server.files.set('checkpoint.safetensors', { body: ipAdapter });
    writeCatalogue(files({ checkpoint: { sha256: sha256(ipAdapter), sizeBytes: ipAdapter.length } }));
    await expect(env.models.installRecipe('sd15-garment', { accepted: ACCEPT })).rejects.toThrow(/checkpoint/i);
    expect(installed()).toEqual([]);
    expect(treeOf(path.join(models(), '.staging'))).toEqual([]);
  });

  it('refuses an unknown recipe and one whose pack is installed', async () => {
    writeCatalogue(files());
    await expect(env.models.installRecipe('no-such')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'The model catalogue has no recipe "no-such".' });
    await env.models.installRecipe('sd15-garment', { accepted: ACCEPT });
    server.requests.length = 0;
    await expect(env.models.installRecipe('sd15-garment', { accepted: ACCEPT })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(server.requests).toEqual([]);
  });
});

describe('ModelManager.installFromPath with a checkpoint', () => {
  const own = (name: string, body: Buffer = checkpoint) => {
    const file = path.join(root, name);
    fs.writeFileSync(file, body);
    return file;
  };
  const twin = () => readTwin(path.join(FIXTURE, 'sources', 'checkpoint.safetensors'));

  it("assembles the technician's SD 1.5 checkpoint with the catalogue's other files, without downloading a checkpoint", async () => {
    writeCatalogue(files());
    const pack = await env.models.installFromPath(own('My Denim v2.safetensors'), { accepted: ['openrail'] });
    expect(pack).toMatchObject({ id: 'own-my-denim-v2', name: 'My Denim v2', kind: 'garment', verification: { status: 'verified' } });
    expect(await env.models.verify('own-my-denim-v2')).toMatchObject({ ok: true });
    expect(server.requests.some((r) => r.path.includes('checkpoint'))).toBe(false);
    const named = await env.models.installFromPath(own('x.safetensors'), { accepted: ['openrail'], name: 'Studio base' });
    expect(named.id).toBe('own-studio-base');
  });

  it.each([
    ['a pickle', () => own('model.ckpt', Buffer.from('\x80\x02}q\x00.')), 'model.ckpt: this is a pickle checkpoint (.ckpt); please use its .safetensors file.'],
    ['an SDXL checkpoint', () => writeSafetensors(path.join(root, 'sdxl.safetensors'), {
      'model.diffusion_model.label_emb.0.0.weight': { dtype: 'F16', shape: [2, 2816], values: new Float32Array(2 * 2816) },
      'conditioner.embedders.1.model.transformer.resblocks.0.attn.in_proj_weight': { dtype: 'F16', shape: [1, 1280], values: new Float32Array(1280) },
    }), 'sdxl.safetensors: this is an SDXL checkpoint; garment packs need SD 1.5.'],
    ['a hostile header', () => own('hostile.safetensors', Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), Buffer.from('{}')])), 'hostile.safetensors is not a valid safetensors file: its header claims 9223372036854775807 bytes'],
    ['a missing tensor', async () => {
      const t = await twin();
      const first = Object.keys(t).find((k) => k.startsWith('model.diffusion_model.'))!;
      delete t[first];
      return writeSafetensors(path.join(root, 'missing.safetensors'), t);
    }, /unet\.onnx cannot be assembled from these files \(1 problem\): model\.diffusion_model\.\S+ is missing from missing\.safetensors \(the checkpoint file\)/],
    ['a mis-shaped tensor', async () => {
      const t = await twin();
      const key = Object.keys(t).find((k) => k.startsWith('model.diffusion_model.') && k.endsWith('.weight') && t[k]!.shape.length === 2)!;
      const [a, b] = t[key]!.shape as [number, number];
      t[key] = { ...t[key]!, shape: [b, a] };
      return writeSafetensors(path.join(root, 'shaped.safetensors'), t);
    }, /model\.diffusion_model\.\S+ in shaped\.safetensors is \[\d+, \d+\], but the map expects \[\d+, \d+\]/],
  ])('refuses %s with a clear message, leaving the packs and the library unchanged', async (_label, make, message) => {
    writeCatalogue(files());
    const file = await make();
    const before = await env.models.list();
    await expect(env.models.installFromPath(file, { accepted: ['openrail'] })).rejects.toThrow(message);
    expect(installed()).toEqual([]);
    expect(await env.models.list()).toEqual(before);
    expect(treeOf(path.join(models(), '.staging'))).toEqual([]);
  });
});
