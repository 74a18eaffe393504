import { randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError, type Job } from '../../../shared/contract';
import { GarmentGenerateRequest, type GarmentGenerateResult } from '../../../shared/contract/garment';
import { modelPromptFor } from '../../../shared/fabric/model-prompt';
import { loadFlat, type FlatDocument, type ViewId } from '../../../shared/flat';
import type { InferenceWorker } from '../../workers';
import type { NewGeneration } from '../generations';
import type { JobContext, JobQueue } from '../jobs';
import { nowIso, type Library } from '../library';
import type { ModelManager, PackLease } from '../models';
import { colorwayInitImage, type ColorwayLibrary, type ColorwaySourceRecord } from './colorway-init';
import { takesLineArt } from './controlnet';
import { explainGenerationError } from './errors';
import { noVaeEncoder, type InitImage } from './init-image';
import { generationFlat, lineArtFromFlat, readFlatFile, readSwatchFile, sketchFromFlat } from './inputs';
import { loadGarmentPack, type LoadedGarmentPack } from './pack';
import { GarmentGenerator } from './generator';
import type { GarmentRun, VariantName } from './pipeline';
import { encodePng, imageFromDecoder, type Rgb8 } from './png';
import type { SchedulerName } from './schedulers';

export const GARMENT_JOB = 'garment.generate';
export const PNG_PARAMETERS_KEY = 'jinxiu:parameters';

const VARIANT_FILE: Record<VariantName, 'image-biased' | 'text-biased'> = { imageBiased: 'image-biased', textBiased: 'text-biased' };
const SCHEDULER_OF_CLASS: Record<string, SchedulerName> = {
  DDIMScheduler: 'ddim',
  EulerAncestralDiscreteScheduler: 'euler-ancestral',
  DPMSolverMultistepScheduler: 'dpmpp-2m-karras',
  LCMScheduler: 'lcm',
};

export interface RenderInput {
  flat: FlatDocument;
  /** The view drawn (generationFlat): the front when left out, as the app's generation always draws. */
  view?: ViewId;
  prompt: string;
  swatchPath?: string;
  fabric?: string;
  /** Image-biased alpha: 'auto' for the pack's rule. */
  alpha: 'auto' | number;
  steps?: number;
  guidanceScale?: number;
  scheduler?: SchedulerName;
  seed?: number;
  /** A pack id, or a pack folder; the default garment pack when left out. */
  pack?: string;
  /** Line-art strength (the ControlNet's scale, 0..2); the pack's default when left out. A pack without a ControlNet refuses it. */
  controlScale?: number;
  /** Start from the flat's colorway instead of pure noise (image-to-image); needs a pack with a VAE encoder. */
  init?: { kind: 'colorway'; strength: number };
  /** The library swatch behind swatchPath: the colorway draws it at its recorded size. */
  swatchId?: string;
  /** The project whose swatches the prompt may pick the colorway's fabric from. */
  projectId?: string;
}

/** How a render started, as run.json and the history record it: from the colorway (and what painted it), or null for noise. */
export type InitRecord = { kind: 'colorway'; strength: number; source: ColorwaySourceRecord } | null;

export interface RenderedVariant {
  variant: 'image-biased' | 'text-biased';
  alpha: number;
  alphaAuto: boolean;
  /** The sketch route's scale for this variant; null for a pack without a sketch encoder. */
  sketchScale: number | null;
  png: Buffer;
  /** Everything needed to make the image again; also inside the PNG. */
  parameters: Record<string, unknown>;
}

export interface RenderOutput {
  packId: string;
  packVersion: string;
  /** The pack's display name, so a render says which pack drew it. */
  packName: string;
  /** The text the pack's text encoder received: English composed from a Chinese prompt for an SD 1.5 pack (modelPromptFor). */
  modelPrompt: string;
  /** The view of the flat that was drawn. */
  view: ViewId;
  /** The sketch the image encoder read: the view drawn, fitted to the encoder (before its normalisation). */
  sketch: Rgb8;
  provider: string;
  seed: number;
  steps: number;
  scheduler: SchedulerName;
  guidanceScale: number;
  fabric: string | null;
  /** The line-art strength the render ran at; null for a pack without a ControlNet. */
  controlScale: number | null;
  init: InitRecord;
  batched: boolean;
  durationMs: number;
  run: GarmentRun;
  variants: RenderedVariant[];
}

/** What the engine needs of the swatch library: a swatch's photo, by the swatch's id. */
export interface SwatchPhotos {
  find(id: string): { name: string; imageSha256: string | null } | null;
}

/** What the engine needs of the generation history: a place to record the renders it made. */
export interface GenerationRecorder {
  insert(rows: readonly NewGeneration[]): void;
}

export interface GarmentServiceOptions {
  library: Library;
  jobs: JobQueue;
  models: ModelManager;
  /** The studio's inference worker, asked for only when a pack is loaded. */
  inference: () => InferenceWorker;
  swatches: SwatchPhotos;
  generations: GenerationRecorder;
  /** The colorway renderer and swatches, for renders that start from the colorway; they are refused without it. */
  colorways?: ColorwayLibrary;
}

interface Engine {
  key: string;
  pack: LoadedGarmentPack;
  generator: GarmentGenerator;
}

/**
 * The garment engine: one pack loaded at a time (an SD 1.5 pack takes gigabytes), its sessions kept
 * between runs, renders as `garment.generate` jobs stored in the library, and the same render for
 * the CLI without the library.
 */
export class GarmentService {
  private engine: Engine | null = null;
  private loading: Promise<Engine> | null = null;

  constructor(private readonly options: GarmentServiceOptions) {
    options.jobs.register(GARMENT_JOB, (ctx: JobContext<unknown>) => this.runJob(ctx));
  }

  /** Queues a render; the job's result is a GarmentGenerateResult. */
  start(request: unknown): Job {
    const parsed = GarmentGenerateRequest.safeParse(request);
    if (!parsed.success) throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    this.options.library.projects.get(parsed.data.projectId);
    if (parsed.data.swatchId) this.swatchPhoto(parsed.data.swatchId);
    return this.options.jobs.enqueue(GARMENT_JOB, parsed.data, { projectId: parsed.data.projectId });
  }

  /** The loaded pack for a reference (id, folder, or the default), loading it (and unloading another) if needed. */
  async load(ref?: string, signal?: AbortSignal): Promise<{ pack: LoadedGarmentPack; generator: GarmentGenerator; lease: PackLease | null }> {
    const { dir, lease } = await this.resolve(ref);
    try {
      const key = path.resolve(dir);
      if (this.engine?.key === key && this.engine.pack.isLoaded) return { ...this.engine, lease };
      await this.loading?.catch(() => undefined);
      if (this.engine?.key !== key || !this.engine.pack.isLoaded) {
        await this.unload();
        this.loading = (async () => {
          const pack = await loadGarmentPack(dir, this.options.inference(), signal ? { signal } : {});
          try {
            return { key, pack, generator: new GarmentGenerator(pack) };
          } catch (err) {
            await pack.unload();
            throw err;
          }
        })();
        try {
          this.engine = await this.loading;
        } finally {
          this.loading = null;
        }
      }
      return { ...this.engine!, lease };
    } catch (err) {
      lease?.release();
      throw err;
    }
  }

  /** Frees the loaded pack's sessions (memory) until the next render. */
  async unload(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    await engine?.pack.unload();
  }

  async render(input: RenderInput, control: { signal?: AbortSignal; onStep?: (step: number, total: number) => void } = {}): Promise<RenderOutput> {
    const started = performance.now();
    const { pack, generator, lease } = await this.load(input.pack, control.signal);
    try {
      const g = pack.garment;
      // One view (the front unless asked otherwise): the sketch, the line art and a colorway start all draw it.
      const flat = generationFlat(input.flat, input.view);
      const view = flat.views[0]!.id;
      const sketch = await sketchFromFlat(flat, g.preprocess.sketch);
      // A ControlNet or a sketch encoder gets the flat drawn at the output size, not the encoder-sized sketch scaled up.
      const lineArt = takesLineArt(g) && g.preprocess.control ? await lineArtFromFlat(flat, g.preprocess.control, g.defaults.width, g.defaults.height) : null;
      const swatch = input.swatchPath ? (await readSwatchFile(input.swatchPath, g.preprocess.swatch)).image : null;
      const seed = input.seed ?? randomInt(2 ** 32 - 1);
      const steps = input.steps ?? g.defaults.steps;
      const guidanceScale = input.guidanceScale ?? g.defaults.guidanceScale;
      const scheduler = input.scheduler ?? SCHEDULER_OF_CLASS[String(pack.schedulerConfig['_class_name'])] ?? 'ddim';
      // The scale is settled here, by LineArtControl.forRender's rule (the request's, else the
      // manifest's, else 1), and sent explicitly, so what is recorded is what the pipeline ran at.
      // A pack without a ControlNet gets the request's value as given: the pipeline refuses it.
      const controlScale = g.graphs.controlnet ? (input.controlScale ?? g.defaults.controlScale ?? 1) : null;
      const sentScale = controlScale ?? input.controlScale;
      const modelPrompt = modelPromptFor(g.architecture, input.prompt).text;
      const { init, record: initRecord } = await this.initImage({ ...input, flat }, pack);
      const run = await generator.generate(
        {
          prompt: modelPrompt,
          sketch,
          ...(lineArt ? { lineArt } : {}),
          swatch,
          fabricLabel: input.fabric ?? null,
          alpha: { imageBiased: input.alpha === 'auto' ? 'rule' : input.alpha },
          steps,
          guidanceScale,
          scheduler,
          seed,
          ...(sentScale !== undefined ? { controlScale: sentScale } : {}),
          ...(init ? { init } : {}),
        },
        control,
      );
      const provider = pack.sessions.unet?.provider ?? 'cpu';
      const base = {
        prompt: input.prompt,
        modelPrompt,
        view,
        negativePrompt: g.conditioning.negative.prompt,
        fabric: run.fabricLabel,
        swatch: input.swatchPath ? path.basename(input.swatchPath) : null,
        seed,
        steps,
        guidanceScale,
        scheduler,
        controlScale,
        init: initRecord,
        width: g.defaults.width,
        height: g.defaults.height,
        pack: { id: pack.manifest.id, version: pack.manifest.version, name: pack.manifest.name },
        provider,
        batched: run.batched,
      };
      const variants = run.variants.map((v): RenderedVariant => {
        const alphaAuto = v.name === 'imageBiased' ? input.alpha === 'auto' : g.defaults.variants.textBiased.alpha === 'rule';
        // The sketch route's scale is per variant (the pack's defaults), so it is recorded beside alpha.
        const sketchScale = v.sketchScale ?? null;
        const parameters = { ...base, variant: VARIANT_FILE[v.name], alpha: v.alpha, alphaAuto, ...(sketchScale !== null ? { sketchScale } : {}) };
        return {
          variant: VARIANT_FILE[v.name],
          alpha: v.alpha,
          alphaAuto,
          sketchScale,
          parameters,
          png: encodePng(imageFromDecoder(v.image), { [PNG_PARAMETERS_KEY]: JSON.stringify(parameters), Software: 'Jinxiu Studio' }),
        };
      });
      return {
        packId: pack.manifest.id,
        packVersion: pack.manifest.version,
        packName: pack.manifest.name,
        modelPrompt,
        view,
        sketch,
        provider,
        seed,
        steps,
        scheduler,
        guidanceScale,
        fabric: run.fabricLabel,
        controlScale,
        init: initRecord,
        batched: run.batched,
        durationMs: Math.round(performance.now() - started),
        run,
        variants,
      };
    } catch (err) {
      throw explainGenerationError(err);
    } finally {
      lease?.release();
    }
  }

  /** The colorway to start from, drawn only for a pack that can encode it (refused by name otherwise). */
  private async initImage(input: RenderInput, pack: LoadedGarmentPack): Promise<{ init: InitImage | null; record: InitRecord }> {
    if (!input.init) return { init: null, record: null };
    if (!pack.hasGraph('vaeEncoder')) throw noVaeEncoder(pack.id);
    const library = this.options.colorways;
    if (!library) throw new AppError('INTERNAL', 'This garment engine has no colorway renderer to start from.');
    const { width, height } = pack.garment.defaults;
    const pick = {
      flat: input.flat,
      prompt: input.prompt,
      ...(input.swatchId ? { swatchId: input.swatchId } : input.swatchPath ? { swatchPath: input.swatchPath } : {}),
      ...(input.projectId ? { projectId: input.projectId } : {}),
    };
    const drawn = await colorwayInitImage(pick, { width, height }, library);
    const { strength } = input.init;
    return { init: { image: drawn.image, strength }, record: { kind: 'colorway', strength, source: drawn.source } };
  }

  /** The photo of a library swatch, checked when a render is queued and read again when it runs. */
  private swatchPhoto(id: string): string {
    const swatch = this.options.swatches.find(id);
    if (!swatch) throw new AppError('NOT_FOUND', `The library has no swatch ${id}.`);
    if (!swatch.imageSha256) throw new AppError('INVALID_INPUT', `The swatch "${swatch.name}" has no photo to render with.`);
    return this.options.library.files.path(swatch.imageSha256);
  }

  private async resolve(ref?: string): Promise<{ dir: string; lease: PackLease | null }> {
    if (ref && (ref.includes('/') || ref.includes(path.sep)) && fs.existsSync(path.join(ref, 'manifest.json'))) {
      return { dir: path.resolve(ref), lease: null };
    }
    const { models } = this.options;
    const id = ref ?? (await models.defaultPack('garment'))?.id;
    if (!id) throw new AppError('MODEL_MISSING', 'No garment model pack is installed; install one with `jinxiu models install`.');
    const lease = await models.lease(id);
    if (lease.manifest.base.kind !== 'garment') {
      lease.release();
      throw new AppError('MODEL_INVALID', `The pack "${id}" is a ${lease.manifest.base.kind} pack, not a garment pack.`);
    }
    return { dir: lease.dir, lease };
  }

  private async runJob(ctx: JobContext<unknown>): Promise<GarmentGenerateResult> {
    const request = GarmentGenerateRequest.parse(ctx.params);
    const flat = 'path' in request.flat ? await readFlatFile(request.flat.path) : loadFlat(request.flat.document);
    const swatchPath = request.swatchId ? this.swatchPhoto(request.swatchId) : request.swatchPath;
    ctx.progress({ fraction: 0, message: 'Loading the garment model' });
    const out = await this.render(
      {
        flat,
        prompt: request.prompt,
        alpha: request.alpha,
        ...(swatchPath ? { swatchPath } : {}),
        ...(request.swatchId ? { swatchId: request.swatchId } : {}),
        ...(request.init ? { init: request.init, projectId: request.projectId } : {}),
        ...(request.fabric ? { fabric: request.fabric } : {}),
        ...(request.steps ? { steps: request.steps } : {}),
        ...(request.guidanceScale !== undefined ? { guidanceScale: request.guidanceScale } : {}),
        ...(request.scheduler ? { scheduler: request.scheduler } : {}),
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
        ...(request.packId ? { pack: request.packId } : {}),
        ...(request.controlScale !== undefined ? { controlScale: request.controlScale } : {}),
      },
      {
        signal: ctx.signal,
        onStep: (step, total) => ctx.progress({ fraction: step / total, step, total, message: `Denoising, step ${step} of ${total}` }),
      },
    );
    ctx.throwIfCancelled();
    const { library } = this.options;
    // Staged: if the second image or the rows cannot be stored (a full disk), the first image goes too.
    const variants = await library.files.staged(async (files) => {
      const stored: { v: RenderedVariant; file: { sha256: string } }[] = [];
      for (const v of out.variants) stored.push({ v, file: await files.put(v.png, 'image/png') });
      const flatId = 'document' in request.flat ? (request.flat.flatId ?? null) : null;
      const flatVersion = 'document' in request.flat ? (request.flat.flatVersion ?? null) : null;
      const createdAt = nowIso();
      const rows = stored.map(({ v, file }): NewGeneration => ({
        id: randomUUID(),
        projectId: request.projectId,
        jobId: ctx.id,
        flatId,
        flatVersion,
        prompt: request.prompt,
        negativePrompt: String(v.parameters['negativePrompt'] ?? ''),
        variant: v.variant,
        alpha: v.alpha,
        alphaAuto: v.alphaAuto,
        seed: out.seed,
        steps: out.steps,
        guidanceScale: out.guidanceScale,
        width: Number(v.parameters['width']),
        height: Number(v.parameters['height']),
        scheduler: out.scheduler,
        packId: out.packId,
        packVersion: out.packVersion,
        provider: out.provider,
        params: v.parameters,
        fileSha256: file.sha256,
        durationMs: out.durationMs,
        swatchId: request.swatchId ?? null,
        createdAt,
      }));
      this.options.generations.insert(rows);
      return rows.map((r) => ({ variant: r.variant, generationId: r.id, fileSha256: r.fileSha256, alpha: r.alpha, alphaAuto: r.alphaAuto }));
    });
    return {
      packId: out.packId,
      packVersion: out.packVersion,
      packName: out.packName,
      modelPrompt: out.modelPrompt,
      provider: out.provider,
      seed: out.seed,
      steps: out.steps,
      scheduler: out.scheduler,
      fabric: out.fabric,
      controlScale: out.controlScale,
      init: out.init,
      batched: out.batched,
      durationMs: out.durationMs,
      variants,
    };
  }
}
