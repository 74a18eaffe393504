import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GarmentGenerateResult, Job } from '../../../shared/contract';
import { extractPrompt } from '../../../shared/fabric';
import { Studio } from '../../studio';
import { loadTemplates } from '../flats';
import { TINY_PACK_DIR } from '../garment/testing/tiny-pack';
import { readPngText } from '../garment/png';
import { PNG_PARAMETERS_KEY } from '../garment/service';
import type { TechPackService } from '../techpack';
import { resolveTechPack } from '../techpack/resolve';
import { GenerationService } from './service';
import { testFixture } from '../../test-fixtures';

// Real parts throughout: a library in a temp folder, the tiny random-weight garment pack installed
// as the default through the model manager, real ONNX sessions in the inference worker.
const DENIM_PHOTO = testFixture('textile_tiles', 'images', 'black_denim.png');

let root: string;
let studio: Studio;
let service: GenerationService;
let techpacks: TechPackService;
let projectId: string;
let otherProjectId: string;
let flatId: string;
let swatchId: string;

async function render(request: Record<string, unknown>): Promise<GarmentGenerateResult> {
  const job: Job = service.generate({ projectId, flat: { flatId }, steps: 2, ...request });
  const done = await studio.jobs.waitFor(job.id);
  expect(done.error).toBeNull();
  return done.result as GarmentGenerateResult;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-generations-'));
  studio = Studio.open({ libraryDir: path.join(root, 'library') }).start();
  const pack = await studio.models.installFromPath(TINY_PACK_DIR);
  await studio.models.setDefault(pack.id);
  projectId = studio.library.projects.create('Denim capsule').id;
  otherProjectId = studio.library.projects.create('Other').id;
  flatId = studio.flats.create(projectId, (await loadTemplates())[0]!.doc).flat.id;
  swatchId = (await studio.swatches.import({ path: DENIM_PHOTO, name: 'Black denim 12oz', category: 'denim', projectId })).id;
  techpacks = studio.techpacks;
  service = new GenerationService(studio.library, studio.garment, techpacks, studio.flats, studio.swatches);
}, 120_000);

afterAll(async () => {
  await studio.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('GenerationService', () => {
  it('renders a stored flat with a library swatch and lists both variants with every setting', async () => {
    const result = await render({ prompt: 'a black denim jacket', swatchId, seed: 11 });
    expect(result.variants).toHaveLength(2);
    const list = service.list({ projectId });
    expect(list.total).toBe(2);
    const image = list.items.find((g) => g.variant === 'image-biased')!;
    expect(image).toMatchObject({
      prompt: 'a black denim jacket',
      seed: 11,
      steps: 2,
      alphaAuto: true,
      flatId,
      flatVersion: 1,
      packId: 'jinxiu-garment-tiny-random',
      fabric: 'denim',
      swatch: { id: swatchId, name: 'Black denim 12oz' },
      favourite: false,
      colorways: [],
    });
    expect(image.durationMs).toBeGreaterThan(0);
    expect(list.fabrics).toEqual(['denim']);
    expect(list.packs).toEqual([{ id: 'jinxiu-garment-tiny-random', version: '0.1.0' }]);
  }, 120_000);

  it('re-renders at a manual alpha with the same seed', async () => {
    await render({ prompt: '真丝衬衫', alpha: 0.25, seed: 11 });
    const manual = service.list({ projectId, text: '真丝' }).items.find((g) => g.variant === 'image-biased')!;
    expect(manual).toMatchObject({ alpha: 0.25, alphaAuto: false, seed: 11, swatch: null });
    // Without a swatch, the fabric is the one the prompt names.
    expect(manual.fabric).toBe(extractPrompt('真丝衬衫').fabric);
    expect(manual.fabric).not.toBeNull();
  }, 120_000);

  it('searches prompt text in either language and filters by fabric and pack', () => {
    expect(service.list({ projectId, text: 'DENIM' }).items.map((g) => g.prompt)).toEqual(['a black denim jacket', 'a black denim jacket']);
    // "牛仔布" is denim in the lexicon: the English prompt is found by its fabric.
    expect(service.list({ projectId, text: '牛仔布' }).total).toBe(2);
    expect(service.list({ projectId, text: '50%_off' }).total).toBe(0);
    expect(service.list({ projectId, fabric: 'denim' }).total).toBe(2);
    expect(service.list({ projectId, text: 'silk' }).items.map((g) => g.prompt)).toEqual(['真丝衬衫', '真丝衬衫']);
    expect(service.list({ projectId }).fabrics).toEqual(['denim', extractPrompt('真丝衬衫').fabric].sort());
    expect(service.list({ projectId, limit: 1, offset: 1 })).toMatchObject({ total: 4, items: [expect.objectContaining({ prompt: '真丝衬衫' })] });
    expect(service.list({ projectId, packId: 'jinxiu-garment-tiny-random' }).total).toBe(4);
    expect(service.list({ projectId, packId: 'another-pack' }).total).toBe(0);
    expect(service.list({ projectId: otherProjectId }).total).toBe(0);
  });

  it('keeps favourites and hands out the lossless original', async () => {
    const [first] = service.list({ projectId, fabric: 'denim' }).items;
    expect(service.favourite(first!.id, true).favourite).toBe(true);
    expect(service.list({ projectId, favouritesOnly: true }).items.map((g) => g.id)).toEqual([first!.id]);
    const { png, fileName } = await service.original(first!.id);
    expect(png.equals(fs.readFileSync(studio.library.files.path(first!.fileSha256)))).toBe(true);
    expect(JSON.parse(readPngText(png)[PNG_PARAMETERS_KEY]!)).toMatchObject({ seed: 11, prompt: 'a black denim jacket' });
    expect(fileName).toMatch(/^a-black-denim-jacket-(image|text)-biased-seed11\.png$/);
  });

  it('chooses a render for a colorway where the tech pack reads it, and refuses to delete it then', () => {
    const [first, second] = service.list({ projectId, fabric: 'denim' }).items;
    const made = service.markForColorway({ id: first!.id, colorwayName: 'Indigo' });
    expect(made).toMatchObject({ colorwayName: 'Indigo', renderIds: [first!.id] });
    const again = service.markForColorway({ id: second!.id, colorwayId: made.colorwayId });
    expect(again.renderIds).toEqual([second!.id, first!.id]);
    expect(techpacks.get(projectId).document.colorways).toEqual([expect.objectContaining({ id: made.colorwayId, name: 'Indigo', renderIds: [second!.id, first!.id] })]);
    expect(service.get(first!.id).colorways).toEqual([{ id: made.colorwayId, name: 'Indigo' }]);
    expect(() => service.delete(first!.id)).toThrow(/chosen for the colorway "Indigo"/);
    expect(service.list({ projectId }).total).toBe(4);
    expect(() => service.markForColorway({ id: first!.id, colorwayId: 'no-such' })).toThrow(/no colorway no-such/);
  });

  it('deletes a render that no colorway shows, and says so for an unknown one', () => {
    const manual = service.list({ projectId, text: '真丝' }).items[0]!;
    service.delete(manual.id);
    expect(() => service.get(manual.id)).toThrow(/has no render/);
    expect(service.list({ projectId }).total).toBe(3);
    expect(() => service.delete(manual.id)).toThrow(/has no render/);
  });

  it('records the library swatch it rendered with, so the history and the tech pack name it when another swatch has the same photo', async () => {
    // Cut from the same photo: the same file in the library, so the file name the engine records cannot tell them apart.
    const indigo = await studio.swatches.import({ path: DENIM_PHOTO, name: 'Indigo denim 14oz', category: 'denim', projectId });
    expect(indigo.imageSha256).toBe(studio.swatches.get(swatchId).imageSha256);
    const result = await render({ prompt: 'an indigo denim jacket', swatchId: indigo.id, seed: 5 });
    const ids = result.variants.map((v) => v.generationId);
    for (const id of ids) {
      expect(studio.generationStore.find(id)?.swatchId).toBe(indigo.id);
      expect(service.get(id).swatch).toEqual({ id: indigo.id, name: 'Indigo denim 14oz' });
    }
    expect(service.list({ projectId, text: 'indigo' }).items.map((g) => g.swatch?.name)).toEqual(['Indigo denim 14oz', 'Indigo denim 14oz']);

    const { colorwayId } = service.markForColorway({ id: ids[0]!, colorwayName: 'Indigo wash' });
    const sources = { projects: studio.library.projects, flats: studio.flats, swatches: studio.swatches, generations: studio.generationStore, motifs: studio.motifs };
    const swatchesShown = () => {
      const document = techpacks.get(projectId).document;
      const { techPack } = resolveTechPack(sources, { techpackId: 't', projectId, projectName: 'Denim capsule', document, revision: 1, revisedAt: 'now', previousLog: [] });
      return techPack.colorways.find((c) => c.id === colorwayId)!.renders.map((r) => r.settings.swatch);
    };
    expect(swatchesShown()).toEqual([{ id: indigo.id, name: 'Indigo denim 14oz' }]);

    // A deleted swatch is named nowhere: the history and the tech pack no longer find it.
    studio.swatches.delete(indigo.id);
    expect(studio.generationStore.find(ids[0]!)?.swatchId).toBeNull();
    expect(service.get(ids[0]!).swatch).toBeNull();
    expect(swatchesShown()).toEqual([undefined]);
  }, 120_000);

  it('refuses bad requests before queueing anything', () => {
    const jobsBefore = studio.jobs.list({}).length;
    expect(() => service.generate({ projectId, flat: { flatId }, prompt: '  ' })).toThrow(/needs a prompt/);
    expect(() => service.generate({ projectId, flat: { flatId }, prompt: 'x', swatchId: 'nope' })).toThrow(/no swatch nope/);
    expect(() => service.generate({ projectId: otherProjectId, flat: { flatId }, prompt: 'x' })).toThrow(/another project/);
    expect(() => service.generate({ projectId, flat: { flatId }, prompt: 'x', alpha: 1.5 })).toThrow(/alpha/);
    expect(studio.jobs.list({}).length).toBe(jobsBefore);
  });
});
