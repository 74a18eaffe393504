import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../services/models';
import { buildZip, makePack, packBytes, packEntries, sha256, tempDir, writePackFolder } from '../services/models/test-packs';
import { PackServer } from '../services/models/test-server';
import { runJinxiu } from './test-kit';

let root: string;
let library: string;

const jinxiu = (...args: string[]) => runJinxiu(library, ...args);

beforeAll(() => {
  root = tempDir('cli');
  library = path.join(root, 'library');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('jinxiu models', () => {
  const pack = makePack('jinxiu-garment-cli', { 'unet.onnx': 5000, 'vae_decoder.onnx': 3000 });

  it('installs from a zip, lists, verifies, sets the default and removes', async () => {
    const zip = await buildZip(path.join(root, 'pack.zip'), packEntries(pack));
    const install = await jinxiu('models', 'install', zip);
    expect(install).toMatchObject({ code: 0, stdout: `installed jinxiu-garment-cli 1.0.0 (${formatBytes(packBytes(pack) + pack.manifestBytes.length)})\n` });

    expect((await jinxiu('models', 'default', 'jinxiu-garment-cli')).stdout).toBe('jinxiu-garment-cli is now the default garment pack\n');
    const list = await jinxiu('--json', 'models', 'list');
    // The app's own bundled packs (resources/models) are listed too; this test is about the library's.
    const installed = (JSON.parse(list.stdout) as { source: string }[]).filter((p) => p.source === 'library');
    expect(installed).toEqual([
      expect.objectContaining({ id: 'jinxiu-garment-cli', isDefault: true, verification: expect.objectContaining({ status: 'verified' }) }),
    ]);
    expect((await jinxiu('models', 'verify', 'jinxiu-garment-cli')).stdout).toBe('jinxiu-garment-cli: all files verify\n');

    fs.writeFileSync(path.join(library, 'models', 'jinxiu-garment-cli', 'vae_decoder.onnx'), Buffer.alloc(3000));
    const bad = await jinxiu('models', 'verify', 'jinxiu-garment-cli');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^jinxiu-garment-cli: vae_decoder\.onnx has sha256 [0-9a-f]{64}; the manifest says [0-9a-f]{64}\.\n$/);
    expect(bad.stderr).toContain('jinxiu: jinxiu-garment-cli does not verify (1 problem). [MODEL_INVALID]');

    expect((await jinxiu('models', 'remove', 'jinxiu-garment-cli')).stdout).toBe('removed jinxiu-garment-cli\n');
    expect((await jinxiu('models', 'list')).stdout).not.toContain('jinxiu-garment-cli');
    expect(fs.readdirSync(path.join(library, 'models')).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it('refuses a hostile zip with a clear message and exit code 1', async () => {
    const zip = await buildZip(path.join(root, 'evil.zip'), [...packEntries(pack), { name: 'qq/evil', data: Buffer.from('x') }], { 'qq/evil': '../evil' });
    const res = await jinxiu('models', 'install', zip);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('is refused: invalid relative path: ../evil. [MODEL_INVALID]');
    expect(fs.readdirSync(path.join(library, 'models'))).toEqual([]);
  });

  it('downloads from a catalogue served over HTTP', async () => {
    const server = await new PackServer().start();
    try {
      server.add(pack);
      const catalogue = path.join(root, 'mirror.json');
      const entry = { id: pack.manifest.id, kind: 'garment', name: 'CLI pack', version: '1.0.0', licence: 'CC-BY-4.0', manifestUrl: server.manifestUrl('drop-once', pack.manifest.id) };
      fs.writeFileSync(catalogue, JSON.stringify({ catalogueVersion: 1, packs: [entry] }));
      const res = await jinxiu('models', 'download', pack.manifest.id, '--catalogue', catalogue);
      expect(res).toMatchObject({ code: 0, stdout: 'downloaded jinxiu-garment-cli\n' });
      expect(res.stderr).toContain(`jinxiu-garment-cli: ${formatBytes(packBytes(pack))} of ${formatBytes(packBytes(pack))}`);
      expect(sha256(fs.readFileSync(path.join(library, 'models', pack.manifest.id, 'unet.onnx')))).toBe(pack.manifest.files[0]!.sha256);
      expect(server.requestsFor('unet.onnx').map((r) => r.range)).toEqual([undefined, 'bytes=2500-']);
    } finally {
      await server.stop();
    }
  });

  it('shows the catalogue recipes with their files, hashes, licences and the space assembly needs', async () => {
    const res = await jinxiu('models', 'catalogue');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('recipe sd15-garment (garment): ');
    expect(res.stdout).toMatch(/download at least 3\.\d+ GB, needs at least 11\.\d+ GB free while assembling/);
    expect(res.stdout).toContain('sha256 10559106d1bb8196298b7a81565ede9279295d2b2df15165b9dbe189994def56; OpenRAIL (ControlNet v1.1, as published) (accept with --accept-licence openrail)');
    expect(res.stdout).toContain('https://huggingface.co/latent-consistency/lcm-lora-sdv1-5/resolve/main/pytorch_lora_weights.safetensors');
    const json = JSON.parse((await jinxiu('--json', 'models', 'catalogue')).stdout) as { recipes: { id: string }[] };
    expect(json.recipes.map((r) => r.id)).toEqual(['sd15-garment', 'sd15-garment-lcm', 'chinese-clip-motif']);
  });

  it('installs from a folder and refuses an unknown pack id', async () => {
    await jinxiu('models', 'remove', pack.manifest.id);
    const folder = writePackFolder(path.join(root, 'folder-pack'), pack);
    expect((await jinxiu('models', 'install', folder)).code).toBe(0);
    const missing = await jinxiu('models', 'verify', 'no-such-pack');
    expect(missing).toMatchObject({ code: 1, stderr: 'jinxiu: No model pack "no-such-pack" is installed. [MODEL_MISSING]\n' });
  });
});
