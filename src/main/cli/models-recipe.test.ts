import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogueSchema, type Catalogue } from '../../shared/contract/models';
import { sha256, tempDir } from '../services/models/test-packs';
import { SourceServer } from '../services/models/test-server';
import { spawn } from 'node:child_process';
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
    // Progress lines name the phase and the file, with the bytes done across all phases.
    expect(res.stderr).toMatch(/^sd15-garment: downloading .+ \(.+ of .+, \d+%\)$/m);
    expect(res.stderr).toMatch(/^sd15-garment: assembled unet\.onnx\.data \(.+ of .+, \d+%\)$/m);
    expect(res.stderr).toMatch(/^sd15-garment: installing jinxiu-sd15-garment \(.+ of .+, 100%\)$/m);
    expect((await jinxiu('models', 'verify', 'jinxiu-sd15-garment')).stdout).toBe('jinxiu-sd15-garment: all files verify\n');

    const out = path.join(root, 'out');
    const gen = await jinxiu('generate', '--flat', path.join(REPO, 'resources/templates/t-shirt.json'), '--prompt', 'a denim shirt', '--pack', 'jinxiu-sd15-garment', '--steps', '2', '--seed', '1', '--out', out);
    expect(gen.code).toBe(0);
    for (const variant of ['image-biased.png', 'text-biased.png']) {
      expect(fs.readFileSync(path.join(out, variant)).subarray(1, 4).toString()).toBe('PNG');
    }
  });

  it('Ctrl-C pauses an install, keeping what was downloaded; the same command again resumes it', async () => {
    expect((await jinxiu('models', 'remove', 'jinxiu-sd15-garment')).code).toBe(0);
    // Drop the cached checkpoint so it downloads again, and hold its transfer halfway.
    const cache = path.join(library, 'models', '.downloads', 'sources');
    for (const f of fs.readdirSync(cache).filter((n) => n.startsWith('checkpoint-'))) fs.rmSync(path.join(cache, f));
    const body = server.files.get('checkpoint.safetensors')!.body;
    const half = Math.floor(body.length / 2);
    server.files.set('checkpoint.safetensors', { body, holdAfter: half });
    server.requests.length = 0;
    const args = ['models', 'install-recipe', 'sd15-garment', '--catalogue', path.join(root, 'catalogue.json'), '--recipes', path.join(root, 'recipes'), '--accept-licence', 'creativeml-openrail-m', 'openrail'];
    const child = spawn(process.execPath, [path.join(REPO, 'bin/jinxiu.js'), '--library', library, ...args], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        // Half the checkpoint is on disk: the progress line says so; then the technician presses Ctrl-C.
        if (/downloading .*\(.*\)/.test(stderr) && fs.existsSync(path.join(cache, `checkpoint-checkpoint.safetensors.part`)) && fs.statSync(path.join(cache, `checkpoint-checkpoint.safetensors.part`)).size === half) {
          child.kill('SIGINT');
        }
      });
      child.on('exit', resolve);
    });
    expect({ code, stdout }).toEqual({ code: 0, stdout: 'paused sd15-garment; run the same command again to resume\n' });
    expect(libraryPacks()).toEqual([]);

    server.release();
    server.files.set('checkpoint.safetensors', { body });
    const res = await jinxiu(...args);
    expect(res).toMatchObject({ code: 0, stdout: expect.stringMatching(/^installed jinxiu-sd15-garment 1\.0\.0/) });
    expect(server.requests.filter((r) => r.path === '/cdn/checkpoint.safetensors').map((r) => r.range)).toEqual([undefined, `bytes=${half}-`]);
    expect((await jinxiu('models', 'verify', 'jinxiu-sd15-garment')).stdout).toBe('jinxiu-sd15-garment: all files verify\n');
  });
});
