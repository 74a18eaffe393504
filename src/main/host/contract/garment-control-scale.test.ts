import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GarmentGenerateResult, GenerationList, InstalledPack, Job } from '../../../shared/contract';
import { runJinxiu } from '../../cli/test-kit';
import { openTempStudio, type TempStudio } from '../transport-test-kit';
import { PNG_PARAMETERS_KEY, readPngText } from '../../services/garment';
import { SD15_TINY_PACK_DIR, TINY_PACK_DIR } from '../../services/garment/testing/tiny-pack';
import { TEE_FLAT_SVG } from '../../services/garment/testing/tee-flat';

// The line-art strength end to end on real parts: both tiny packs installed through the models
// channels of a studio on a temp library, renders through the contract's channels into the real
// inference worker, and the real `jinxiu` command in a child process. The SD 1.5 pack has a line-art
// ControlNet (default scale 1 in its manifest); the HiGarment tiny pack has none.
const SD15 = 'jinxiu-garment-sd15-tiny-random';
const TINY = 'jinxiu-garment-tiny-random';
const NO_CONTROLNET = `The pack "${TINY}" has no ControlNet, so a control scale does not apply.`;

let t: TempStudio;
let projectId: string;
let flat: unknown;

beforeAll(async () => {
  t = openTempStudio();
  await t.call('models.installFromPath', { path: SD15_TINY_PACK_DIR });
  await t.call('models.installFromPath', { path: TINY_PACK_DIR });
  projectId = (await t.call<{ id: string }>('projects.create', { name: 'Line art' })).id;
  flat = (await t.call<{ doc: unknown }[]>('flats.templates', {}))[0]!.doc;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

async function finished(job: Job): Promise<Job> {
  return t.studio.jobs.waitFor(job.id);
}

async function history(): Promise<GenerationList['items']> {
  return (await t.call<GenerationList>('generations.list', { projectId })).items;
}

async function pngParameters(id: string): Promise<Record<string, unknown>> {
  const { pngBase64 } = await t.call<{ pngBase64: string }>('generations.original', { id });
  return JSON.parse(readPngText(Buffer.from(pngBase64, 'base64'))[PNG_PARAMETERS_KEY]!) as Record<string, unknown>;
}

describe('line-art strength over the contract', () => {
  it('tells the renderer which pack has a line-art ControlNet and its default strength', async () => {
    const packs = await t.call<InstalledPack[]>('models.list', {});
    expect(packs.find((p) => p.id === SD15)?.lineArtControl).toEqual({ defaultScale: 1 });
    expect(packs.find((p) => p.id === TINY)?.lineArtControl).toBeNull();
  });

  it('renders at the strength asked for and records it in the result, the PNG and the history', async () => {
    const job = await t.call<Job>('generations.generate', { projectId, flat: { document: flat }, prompt: 'a denim jacket', packId: SD15, steps: 2, seed: 5, controlScale: 0.35 });
    const done = await finished(job);
    expect(done.error).toBeNull();
    expect((done.result as GarmentGenerateResult).controlScale).toBe(0.35);
    const rows = (await history()).filter((g) => g.jobId === job.id);
    expect(rows.map((g) => g.variant).sort()).toEqual(['image-biased', 'text-biased']);
    for (const row of rows) {
      expect(row.controlScale).toBe(0.35);
      // "Reuse these settings" reads the record from generations.get.
      expect((await t.call<{ controlScale: number | null }>('generations.get', { id: row.id })).controlScale).toBe(0.35);
      expect(await pngParameters(row.id)).toMatchObject({ controlScale: 0.35, seed: 5, steps: 2 });
    }
  }, 60_000);

  it("records the pack's default strength when none is asked for, and null for a pack without a ControlNet", async () => {
    // The same render as above but for the strength: the ControlNet's pull shows in the pixels.
    const sd15 = await finished(await t.call<Job>('generations.generate', { projectId, flat: { document: flat }, prompt: 'a denim jacket', packId: SD15, steps: 2, seed: 5 }));
    const result = sd15.result as GarmentGenerateResult;
    expect(result.controlScale).toBe(1);
    const at035 = (await history()).filter((g) => g.controlScale === 0.35 && g.variant === 'image-biased');
    expect(at035).toHaveLength(1);
    expect(result.variants.find((v) => v.variant === 'image-biased')!.fileSha256).not.toBe(at035[0]!.fileSha256);
    const plain = await finished(await t.call<Job>('generations.generate', { projectId, flat: { document: flat }, prompt: 'a silk shirt', packId: TINY, steps: 1 }));
    expect((plain.result as GarmentGenerateResult).controlScale).toBeNull();
    const rows = await history();
    expect(rows.filter((g) => g.jobId === sd15.id).map((g) => g.controlScale)).toEqual([1, 1]);
    const plainRows = rows.filter((g) => g.jobId === plain.id);
    expect(plainRows.map((g) => g.controlScale)).toEqual([null, null]);
    expect(await pngParameters(plainRows[0]!.id)).toMatchObject({ controlScale: null });
  }, 60_000);

  it('fails the job with the engine\'s own words for a pack without a ControlNet, storing nothing', async () => {
    const before = (await history()).length;
    for (const channel of ['generations.generate', 'garment.generate']) {
      const done = await finished(await t.call<Job>(channel, { projectId, flat: { document: flat }, prompt: 'a denim jacket', packId: TINY, steps: 1, controlScale: 0.5 }));
      expect(done.state).toBe('failed');
      expect(done.error).toMatchObject({ code: 'INVALID_INPUT', message: NO_CONTROLNET });
    }
    expect(await history()).toHaveLength(before);
  }, 60_000);

  it('refuses a strength outside 0..2 before queueing anything', async () => {
    const jobs = t.studio.jobs.list({}).length;
    const error = await t.fails('generations.generate', { projectId, flat: { document: flat }, prompt: 'x', packId: SD15, controlScale: 2.5 });
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('The line-art strength is at most 2.') });
    expect((await t.fails('garment.generate', { projectId, flat: { document: flat }, prompt: 'x', controlScale: -0.1 })).message).toContain('The line-art strength is at least 0.');
    expect(t.studio.jobs.list({}).length).toBe(jobs);
  });
});

describe('jinxiu generate --control-scale', () => {
  const jinxiu = (...args: string[]) => runJinxiu(path.join(t.dir, 'cli-lib'), ...args);
  let flatPath: string;
  beforeAll(() => {
    flatPath = path.join(t.dir, 'tee.svg');
    fs.writeFileSync(flatPath, TEE_FLAT_SVG);
  });

  it('records the strength in run.json and both PNGs', async () => {
    const out = path.join(t.dir, 'out-sd15');
    const res = await jinxiu('generate', '--flat', flatPath, '--prompt', '牛仔夹克', '--pack', SD15_TINY_PACK_DIR, '--steps', '2', '--seed', '9', '--control-scale', '0.6', '--out', out);
    expect(res.stderr).toContain('step 2/2');
    expect(res.code).toBe(0);
    const run = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8')) as { controlScale: number; pack: { id: string } };
    expect(run).toMatchObject({ controlScale: 0.6, pack: { id: SD15 } });
    for (const name of ['image-biased.png', 'text-biased.png']) {
      expect(JSON.parse(readPngText(fs.readFileSync(path.join(out, name)))[PNG_PARAMETERS_KEY]!)).toMatchObject({ controlScale: 0.6, seed: 9 });
    }
  }, 60_000);

  it('exits with the engine\'s message for a pack without a ControlNet, writing nothing', async () => {
    const out = path.join(t.dir, 'out-tiny');
    const res = await jinxiu('generate', '--flat', flatPath, '--prompt', 'a jacket', '--pack', TINY_PACK_DIR, '--steps', '1', '--control-scale', '0.5', '--out', out);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`jinxiu: ${NO_CONTROLNET} [INVALID_INPUT]`);
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);

  it('says what is wrong with a strength out of range', async () => {
    const res = await jinxiu('generate', '--flat', flatPath, '--prompt', 'x', '--control-scale', '2.5', '--out', path.join(t.dir, 'out-bad'));
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('--control-scale takes a decimal from 0 to 2, not "2.5"');
  });
});
