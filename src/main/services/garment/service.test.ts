import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload, GarmentGenerateResult, Job } from '../../../shared/contract';
import { Studio } from '../../studio';
import { encodePng, readPngText } from './png';
import { readFlatFile } from './inputs';
import { PNG_PARAMETERS_KEY, type RenderOutput } from './service';
import { Golden } from './testing/golden';
import { SD15_TINY_PACK_DIR, sketchTinyPack, TINY_PACK_DIR } from './testing/tiny-pack';
import { TEE_FLAT_SVG } from './testing/tee-flat';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

let root: string;
let studio: Studio;
let projectId: string;
let flatPath: string;
let swatchPath: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-garment-service-'));
  flatPath = path.join(root, 'tee.svg');
  fs.writeFileSync(flatPath, TEE_FLAT_SVG);
  const swatch = new Golden('garment_pipeline').array('swatch');
  swatchPath = path.join(root, 'denim.png');
  fs.writeFileSync(swatchPath, encodePng({ width: 32, height: 32, data: swatch.data as Uint8Array }, {}));
  studio = Studio.open({ libraryDir: path.join(root, 'library') }).start();
  projectId = studio.library.projects.create('Autumn jackets').id;
});
afterAll(async () => {
  await studio.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function generations(): { variant: string; seed: number; file_sha256: string; params: string; alpha: number; alpha_auto: number }[] {
  return studio.library.db.prepare('SELECT * FROM generations ORDER BY variant').all() as never;
}

function onProgress(listener: (e: EventPayload<'job.progress'>) => void): () => void {
  return studio.events.subscribe((event, payload) => {
    if (event === 'job.progress') listener(payload as EventPayload<'job.progress'>);
  });
}

async function finished(job: Job): Promise<Job> {
  return studio.jobs.waitFor(job.id);
}

describe('garment.generate job', () => {
  it('renders both variants, reports every step, and stores PNGs and rows in the library', async () => {
    const progress: number[] = [];
    const off = onProgress((e) => {
      if (e.progress.step !== undefined) progress.push(e.progress.step);
    });
    const job = studio.garment.start({ projectId, flat: { path: flatPath }, prompt: 'a red denim jacket', swatchPath, packId: TINY_PACK_DIR, seed: 7, steps: 4 });
    const done = await finished(job);
    off();
    expect(done.error).toBeNull();
    expect(done.state).toBe('succeeded');
    const result = done.result as GarmentGenerateResult;
    expect(result).toMatchObject({ packId: 'jinxiu-garment-tiny-random', seed: 7, steps: 4, scheduler: 'ddim', fabric: 'denim' });
    expect(progress).toEqual([1, 2, 3, 4]);
    const rows = generations();
    expect(rows.map((r) => r.variant)).toEqual(['image-biased', 'text-biased']);
    expect(rows[0]!.alpha_auto).toBe(1);
    expect(rows[1]!.alpha).toBe(0.3);
    for (const row of rows) {
      const png = fs.readFileSync(studio.library.files.path(row.file_sha256));
      expect(JSON.parse(readPngText(png)[PNG_PARAMETERS_KEY]!)).toMatchObject({ seed: 7, variant: row.variant, prompt: 'a red denim jacket' });
      expect(JSON.parse(row.params)).toMatchObject({ seed: 7, steps: 4 });
    }
  });

  it("records each variant's sketch scale for a pack with a sketch encoder, drawing the flat as its line art", async () => {
    const dir = sketchTinyPack();
    try {
      const flat = await readFlatFile(flatPath);
      const out = await studio.garment.render({ flat, prompt: 'a red denim jacket', swatchPath, alpha: 'auto', pack: dir, seed: 5, steps: 2 });
      expect(out.variants.map((v) => [v.variant, v.sketchScale])).toEqual([['image-biased', 1], ['text-biased', 0.6]]);
      expect(out.variants.map((v) => v.parameters['sketchScale'])).toEqual([1, 0.6]);
      expect(JSON.parse(readPngText(out.variants[1]!.png)[PNG_PARAMETERS_KEY]!)).toMatchObject({ variant: 'text-biased', sketchScale: 0.6, controlScale: null });
      const plain = await studio.garment.render({ flat, prompt: 'a red denim jacket', swatchPath, alpha: 'auto', pack: TINY_PACK_DIR, seed: 5, steps: 2 });
      expect(plain.variants.map((v) => v.sketchScale)).toEqual([null, null]);
      expect('sketchScale' in plain.variants[0]!.parameters).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails clearly on an unreadable swatch and stores nothing', async () => {
    const before = generations().length;
    const bad = path.join(root, 'not-an-image.png');
    fs.writeFileSync(bad, 'this is text');
    const done = await finished(studio.garment.start({ projectId, flat: { path: flatPath }, prompt: 'a denim jacket', swatchPath: bad, packId: TINY_PACK_DIR }));
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('not-an-image.png') });
    expect(generations()).toHaveLength(before);
  });

  it('fails clearly on a pack that is not installed', async () => {
    const done = await finished(studio.garment.start({ projectId, flat: { path: flatPath }, prompt: 'a jacket', packId: 'no-such-pack' }));
    expect(done.error).toMatchObject({ code: 'MODEL_MISSING', message: expect.stringContaining('no-such-pack') });
  });

  it('stops within a step when cancelled, storing nothing', async () => {
    const before = generations().length;
    const job = studio.garment.start({ projectId, flat: { path: flatPath }, prompt: 'a jacket', packId: TINY_PACK_DIR, steps: 50 });
    const off = onProgress((e) => {
      if (e.id === job.id && e.progress.step === 2) studio.jobs.cancel(job.id);
    });
    const done = await finished(job);
    off();
    expect(done.state).toBe('cancelled');
    expect(done.progress?.step).toBeLessThanOrEqual(3);
    expect(generations()).toHaveLength(before);
  });

  it('fails the job with WORKER_CRASHED when the worker is killed mid-run, storing nothing, and the next job renders', async () => {
    const before = generations().length;
    const job = studio.garment.start({ projectId, flat: { path: flatPath }, prompt: 'a jacket', packId: TINY_PACK_DIR, steps: 50 });
    const off = onProgress((e) => {
      const pid = studio.inference.pid;
      if (e.id === job.id && e.progress.step === 1 && pid) process.kill(pid, 'SIGKILL');
    });
    const done = await finished(job);
    off();
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({ code: 'WORKER_CRASHED', message: expect.stringContaining('while running the task "garment.generate"') });
    expect(generations()).toHaveLength(before);
    const next = await finished(studio.garment.start({ projectId, flat: { path: flatPath }, prompt: 'a jacket', packId: TINY_PACK_DIR, steps: 2 }));
    expect(next.state).toBe('succeeded');
    expect(generations()).toHaveLength(before + 2);
  });

  it('refuses a request that does not match the contract', () => {
    expect(() => studio.garment.start({ projectId, flat: { path: flatPath }, prompt: '', alpha: 3 })).toThrow(/prompt|alpha/);
  });
});

describe('the prompt an SD 1.5 pack receives', () => {
  const chinese = '黑色丝绒 hoodie，长袖';
  const english = 'a black velvet hoodie, long sleeves';
  const render = async (prompt: string) =>
    studio.garment.render({ flat: await readFlatFile(flatPath), prompt, alpha: 'auto', pack: SD15_TINY_PACK_DIR, seed: 11, steps: 2 });
  const pixels = (out: RenderOutput) => out.run.variants.map((v) => Buffer.from(v.image.data.buffer, v.image.data.byteOffset, v.image.data.byteLength));

  it("feeds the text encoder the composed English's token ids, not the Chinese prompt's", async () => {
    const fromChinese = await render(chinese);
    expect(fromChinese.modelPrompt).toBe(english);
    const { pack, lease } = await studio.garment.load(SD15_TINY_PACK_DIR);
    lease?.release();
    // CLIP's BPE reads Chinese as byte tokens: fed as typed, the encoder would get other ids.
    expect(pack.tokenizer.encode(chinese)).not.toEqual(pack.tokenizer.encode(english));
    // Same seed, same flat: only the text encoder's ids can tell these renders apart.
    const fromEnglish = await render(english);
    expect(fromEnglish.modelPrompt).toBe(english);
    expect(pixels(fromChinese)).toEqual(pixels(fromEnglish));
    const other = await render('a white linen shirt, short sleeves');
    expect(pixels(other)).not.toEqual(pixels(fromEnglish));
  });

  it('is recorded with the job, in the PNG and in the history, with the pack that drew it', async () => {
    const done = await finished(studio.garment.start({ projectId, flat: { path: flatPath }, prompt: chinese, packId: SD15_TINY_PACK_DIR, seed: 5, steps: 2 }));
    expect(done.error).toBeNull();
    const result = done.result as GarmentGenerateResult;
    expect(result).toMatchObject({ modelPrompt: english, packId: 'jinxiu-garment-sd15-tiny-random', packName: expect.stringContaining('SD 1.5') });
    for (const v of result.variants) {
      const record = studio.generations.get(v.generationId);
      expect(record).toMatchObject({ prompt: chinese, modelPrompt: english, packId: result.packId, packVersion: result.packVersion, packName: result.packName });
      const png = fs.readFileSync(studio.library.files.path(v.fileSha256));
      expect(JSON.parse(readPngText(png)[PNG_PARAMETERS_KEY]!)).toMatchObject({ prompt: chinese, modelPrompt: english });
    }
  });
});

describe('jinxiu generate', () => {
  async function jinxiu(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(repo, 'bin/jinxiu.js'), '--library', path.join(root, 'cli-lib'), ...args], { cwd: repo });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('writes image-biased.png, text-biased.png and run.json, the same bytes for the same seed', async () => {
    const args = ['generate', '--flat', flatPath, '--prompt', '红色牛仔夹克', '--swatch', swatchPath, '--seed', '42', '--steps', '3', '--scheduler', 'euler-ancestral', '--pack', TINY_PACK_DIR];
    const a = await jinxiu(...args, '--out', path.join(root, 'out-a'));
    expect(a.stderr).toContain('step 3/3');
    expect(a.code).toBe(0);
    const b = await jinxiu(...args, '--alpha', 'auto', '--out', path.join(root, 'out-b'));
    expect(b.code).toBe(0);
    for (const name of ['image-biased.png', 'text-biased.png']) {
      expect(fs.readFileSync(path.join(root, 'out-a', name)).equals(fs.readFileSync(path.join(root, 'out-b', name)))).toBe(true);
    }
    const run = JSON.parse(fs.readFileSync(path.join(root, 'out-a', 'run.json'), 'utf8')) as { seed: number; fabric: string; scheduler: string };
    // The HiGarment pack reads the prompt as typed: its fabric table knows 牛仔.
    expect(run).toMatchObject({ seed: 42, fabric: 'denim', scheduler: 'euler-ancestral', prompt: '红色牛仔夹克', modelPrompt: '红色牛仔夹克' });
    expect(run).toMatchObject({ pack: { id: 'jinxiu-garment-tiny-random', version: expect.any(String), name: expect.any(String) } });
  });

  it('writes the English an SD 1.5 pack received for a Chinese prompt next to the prompt in run.json', async () => {
    const res = await jinxiu('generate', '--flat', flatPath, '--prompt', '红色真丝旗袍，长袖，立领', '--seed', '3', '--steps', '2', '--pack', SD15_TINY_PACK_DIR, '--out', path.join(root, 'out-sd15'));
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.code).toBe(0);
    const run = JSON.parse(fs.readFileSync(path.join(root, 'out-sd15', 'run.json'), 'utf8')) as Record<string, unknown>;
    expect(run).toMatchObject({
      prompt: '红色真丝旗袍，长袖，立领',
      modelPrompt: 'a red silk qipao dress, long sleeves, mandarin collar',
      pack: { id: 'jinxiu-garment-sd15-tiny-random', name: 'Tiny random SD 1.5 + IP-Adapter + ControlNet pack (tests only)' },
    });
  });

  it('says what is wrong with a bad alpha', async () => {
    const res = await jinxiu('generate', '--flat', flatPath, '--prompt', 'x', '--alpha', '1.5', '--out', path.join(root, 'out-c'));
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('--alpha takes "auto" or a decimal from 0 to 1, not "1.5"');
  });
});
