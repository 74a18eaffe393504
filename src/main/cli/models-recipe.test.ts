import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogueSchema, type Catalogue } from '../../shared/contract/models';
import { sha256, tempDir } from '../services/models/test-packs';
import { SourceServer } from '../services/models/test-server';
import { runJinxiu } from './test-kit';

// The shipped catalogue's sd15-garment entry with its URLs rewritten to 127.0.0.1, serving the
// toolchain's tiny twins; the tiny recipe (same graphs, tiny widths) stands in for the full-size one.
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = path.join(REPO, 'src/main/services/models/fixtures/tiny-sd15-garment');
const GRAPHS = ['text_encoder', 'unet', 'vae_decoder', 'vae_encoder', 'image_encoder', 'image_projection', 'controlnet'];

let root: string;
let library: string;
let server: SourceServer;
const jinxiu = (...args: string[]) => runJinxiu(library, ...args);

beforeAll(async () => {
  root = tempDir('cli-recipe');
  library = path.join(root, 'library');
  server = await new SourceServer().start();
  const shipped = CatalogueSchema.parse(JSON.parse(fs.readFileSync(path.join(REPO, 'resources/models/catalogue.json'), 'utf8')));
  const recipe = shipped.recipes.find((r) => r.id === 'sd15-garment')!;
  const files = recipe.files.map((f) => {
    const body = fs.readFileSync(path.join(FIXTURE, 'sources', `${f.role}.safetensors`));
    server.files.set(`${f.role}.safetensors`, { body });
    const url = server.url(`${f.role}.safetensors`);
    return { ...f, url, sizeBytes: body.length, sha256: f.verify === 'sha256' ? sha256(body) : null };
  });
  const downloadBytes = files.reduce((a, f) => a + f.sizeBytes, 0);
  const packDataBytes = GRAPHS.reduce((a, g) => a + (JSON.parse(fs.readFileSync(path.join(FIXTURE, 'recipe', `${g}.tensors.json`), 'utf8')) as { dataBytes: number }).dataBytes, 0);
  const catalogue: Catalogue = { catalogueVersion: 1, packs: [], recipes: [{ ...recipe, files, downloadBytes, packDataBytes, assemblyBytes: downloadBytes + packDataBytes, sizesComplete: true }] };
  fs.writeFileSync(path.join(root, 'catalogue.json'), JSON.stringify(CatalogueSchema.parse(catalogue)));
  fs.cpSync(path.join(FIXTURE, 'recipe'), path.join(root, 'recipes', 'sd15-garment'), { recursive: true });
});

afterAll(async () => {
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const installRecipe = (...accept: string[]) =>
  jinxiu('models', 'install-recipe', 'sd15-garment', '--catalogue', path.join(root, 'catalogue.json'), '--recipes', path.join(root, 'recipes'), ...(accept.length ? ['--accept-licence', ...accept] : []));
const libraryPacks = () => (fs.existsSync(path.join(library, 'models')) ? fs.readdirSync(path.join(library, 'models')).filter((f) => !f.startsWith('.')) : []);

describe('jinxiu models install-recipe', () => {
  it('refuses without the OpenRAIL acceptances, then installs a pack that verifies and generates both variants', async () => {
    const refused = await installRecipe('creativeml-openrail-m');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('OpenRAIL (ControlNet v1.1, as published) (https://huggingface.co/lllyasviel/ControlNet-v1-1): --accept-licence openrail. Nothing was downloaded. [INVALID_INPUT]');
    expect(server.requests).toEqual([]);
    expect(libraryPacks()).toEqual([]);

    const res = await installRecipe('creativeml-openrail-m', 'openrail');
    expect(res).toMatchObject({ code: 0, stdout: expect.stringMatching(/^installed jinxiu-sd15-garment 1\.0\.0 \(.+\) from the recipe sd15-garment\n$/) });
    expect(res.stderr).toContain('sd15-garment: assembling sd15-garment');
    expect((await jinxiu('models', 'verify', 'jinxiu-sd15-garment')).stdout).toBe('jinxiu-sd15-garment: all files verify\n');

    const out = path.join(root, 'out');
    const gen = await jinxiu('generate', '--flat', path.join(REPO, 'resources/templates/t-shirt.json'), '--prompt', 'a denim shirt', '--pack', 'jinxiu-sd15-garment', '--steps', '2', '--seed', '1', '--out', out);
    expect(gen.code).toBe(0);
    for (const variant of ['image-biased.png', 'text-biased.png']) {
      expect(fs.readFileSync(path.join(out, variant)).subarray(1, 4).toString()).toBe('PNG');
    }
  });
});
