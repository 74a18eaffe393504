import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forkLauncher, InferenceWorker } from '../../workers';
import { loadGarmentPack } from './pack';
import { copyTinyPack, editManifest, TINY_PACK_DIR } from './testing/tiny-pack';

const worker = new InferenceWorker({ launch: forkLauncher(), providers: () => ['cpu'] });
const temps: string[] = [];
afterAll(async () => {
  await worker.shutdown();
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

function brokenCopy(): string {
  const dir = copyTinyPack();
  temps.push(dir);
  return dir;
}

describe('garment pack loading', () => {
  it('loads the tiny pack: hashes, sessions and signatures all match, and unloads', async () => {
    const pack = await loadGarmentPack(TINY_PACK_DIR, worker);
    expect(pack.id).toBe('jinxiu-garment-tiny-random');
    expect(Object.keys(pack.sessions).sort()).toEqual(['fabricFusion', 'imageEncoder', 'imageProjection', 'textEncoder', 'unet', 'vaeDecoder']);
    expect(pack.tokenizer.encode('denim').slice(0, 3)).toEqual([49406, pack.tokenizer.tokenize('denim')[0], 49407]);
    expect(pack.fabrics?.synonyms['jeans']).toBe('denim');
    expect(pack.dynamicBatch('unet', 'sample')).toBe(true);
    const before = (await worker.ping()).sessions;
    expect(before).toContain('garment:jinxiu-garment-tiny-random@0.1.0:unet');
    await pack.unload();
    const after = (await worker.ping()).sessions;
    expect(after.filter((s) => s.startsWith('garment:'))).toEqual([]);
    await expect(pack.run('unet', {})).rejects.toThrow(/unloaded/);
  });

  it('names the tensor whose shape the manifest gets wrong, and leaves no session behind', async () => {
    const dir = brokenCopy();
    editManifest(dir, (m) => {
      m.garment.graphs['textEncoder']!.outputs['hiddenStates']!.shape = ['batch', 81, 8];
      m.garment.graphs['unet']!.inputs['alpha']!.dtype = 'int64';
    });
    const err = await loadGarmentPack(dir, worker).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MODEL_INVALID' });
    const message = (err as Error).message;
    expect(message).toMatch(/text_encoder\.onnx: output 'last_hidden_state' expects \[\w+,77,8\], manifest says \[B,81,8\]/);
    expect(message).toMatch(/unet\.onnx: input 'alpha' is float32, manifest says int64/);
    expect((await worker.ping()).sessions.filter((s) => s.startsWith('garment:'))).toEqual([]);
  });

  it('names a tensor the graph does not have', async () => {
    const dir = brokenCopy();
    editManifest(dir, (m) => {
      m.garment.graphs['unet']!.inputs['textEmbeds']!.name = 'text_embeds';
    });
    await expect(loadGarmentPack(dir, worker)).rejects.toThrow(
      /unet\.onnx: has no input 'text_embeds' .*unet\.onnx: input 'encoder_hidden_states' .* is not in the manifest/,
    );
  });

  it('refuses a file whose bytes changed, naming it and both hashes', async () => {
    const dir = brokenCopy();
    const file = path.join(dir, 'image_projection.onnx');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    fs.writeFileSync(file, bytes);
    await expect(loadGarmentPack(dir, worker)).rejects.toThrow(/image_projection\.onnx has sha256 [0-9a-f]{64}; the manifest says [0-9a-f]{64}/);
  });

  it('refuses a folder with no manifest', async () => {
    const dir = brokenCopy();
    fs.rmSync(path.join(dir, 'manifest.json'));
    await expect(loadGarmentPack(dir, worker)).rejects.toMatchObject({ code: 'MODEL_INVALID' });
  });
});
