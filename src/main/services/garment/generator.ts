import { AppError } from '../../../shared/contract/errors';
import { fabricFromPrompt, normalizeFabric } from './conditioning';
import type { LoadedGarmentPack } from './pack';
import { controlImage, takesLineArt } from './controlnet';
import { type GarmentRun, type PreparedGarmentRequest, type RenderSettings } from './pipeline';
import type { Rgb8 } from './png';
import { fitInitImage, fitLineArt, normalizeImage } from './preprocess';
import { checkStrength, initPixels, noVaeEncoder, startsFromImage, type InitImage } from './init-image';
import { GARMENT_TASK } from './task';

const TOKEN_CACHE_LIMIT = 64;

export interface GarmentRequest extends RenderSettings {
  prompt: string;
  /** The flat sketch, already at the image encoder's size (see fitImage). */
  sketch: Rgb8;
  /** The fabric swatch at the encoder's size; without one, no fabric fusion. */
  swatch?: Rgb8 | null;
  /** The fabric word; found in the prompt through the pack's synonym table when not given. */
  fabricLabel?: string | null;
  /**
   * The flat drawn as line art for a pack with a ControlNet or a sketch encoder, ideally at the pack's
   * output size (see lineArtFromFlat); other sizes are stretched, and the sketch stands in when it is left out.
   */
  lineArt?: Rgb8;
  /**
   * Start from an image (the flat's colorway render) instead of pure noise, as diffusers'
   * image-to-image does; needs a pack with the optional VAE encoder, at any strength.
   */
  init?: InitImage;
}

export interface GenerateControl {
  /** After every denoising step (1-based), as the worker reports it. */
  onStep?: (step: number, total: number) => void;
  /** Cancels the run: the wait ends at once and the worker stops the loop before its next step. */
  signal?: AbortSignal;
}

/** Where one render's time went, as the worker measured it. */
export interface GarmentTimings {
  /** Sum of raw session.run times. */
  runMs: number;
  runs: number;
  /** The whole pipeline in the worker. */
  taskMs: number;
  /** Loading sessions inside the task: a staged pack's graphs, stage by stage (0 for a loaded pack). */
  loadMs: number;
  /** From preparing the request to having the images here: taskMs plus the one round trip. */
  callMs: number;
}

/**
 * The main side of a render: the prompts tokenised, the fabric named, the images normalised, then
 * the whole pipeline (pipeline.ts) run in the inference worker as one task, next to the sessions.
 */
export class GarmentGenerator {
  private packJson: { sessions: number; json: string } | null = null;
  private readonly tokenCache = new Map<string, number[]>();

  constructor(readonly pack: LoadedGarmentPack) {}

  /** The pack's ref as JSON, made again only when a graph was loaded on demand since the last render. */
  private refJson(): string {
    const sessions = Object.keys(this.pack.sessionIds).length;
    if (this.packJson?.sessions !== sessions) this.packJson = { sessions, json: JSON.stringify(this.pack.ref) };
    return this.packJson.json;
  }

  /** Refuses an init image the pack or the settings cannot take, then loads the VAE encoder if the run needs it. */
  private async readyForInit(request: GarmentRequest): Promise<void> {
    if (!request.init) return;
    if (!this.pack.hasGraph('vaeEncoder')) throw noVaeEncoder(this.pack.id);
    checkStrength(request.init.strength, request.steps ?? this.pack.garment.defaults.steps);
    if (startsFromImage(request.init)) await this.pack.ensureGraph('vaeEncoder');
  }

  async generate(request: GarmentRequest, control: GenerateControl = {}): Promise<GarmentRun> {
    return (await this.generateTimed(request, control)).run;
  }

  async generateTimed(request: GarmentRequest, control: GenerateControl = {}): Promise<{ run: GarmentRun; timings: GarmentTimings }> {
    const started = performance.now();
    if (!this.pack.isLoaded) throw new AppError('MODEL_MISSING', `The pack "${this.pack.id}" was unloaded.`);
    await this.readyForInit(request);
    const prepared = this.prepare(await this.withInitImage(await this.withLineArt(request)));
    const outcome = await this.pack.inference.runTask(
      GARMENT_TASK,
      { packJson: this.refJson(), request: prepared },
      {
        sessions: Object.values(this.pack.sessionIds),
        ...(control.onStep ? { onProgress: (p: { step: number; total: number }) => control.onStep?.(p.step, p.total) } : {}),
        ...(control.signal ? { signal: control.signal } : {}),
      },
    );
    return {
      run: outcome.result,
      timings: { runMs: outcome.runMs, runs: outcome.runs, taskMs: outcome.taskMs, loadMs: outcome.loadMs ?? 0, callMs: performance.now() - started },
    };
  }

  /** A text's token ids; the negative and label prompts come back on every render. */
  private tokens(text: string): number[] {
    let ids = this.tokenCache.get(text);
    if (!ids) {
      ids = this.pack.tokenizer.encode(text);
      if (this.tokenCache.size >= TOKEN_CACHE_LIMIT) this.tokenCache.delete(this.tokenCache.keys().next().value!);
      this.tokenCache.set(text, ids);
    }
    return ids;
  }

  /** The request with its line art at the pack's output size (resizing is async, prepare is not). */
  private async withLineArt(request: GarmentRequest): Promise<GarmentRequest> {
    const g = this.pack.garment;
    if (!takesLineArt(g) || !g.preprocess.control) return request;
    const lineArt = await fitLineArt(request.lineArt ?? request.sketch, g.preprocess.control, g.defaults.width, g.defaults.height);
    return { ...request, lineArt };
  }

  /** The request with its init image at the pack's output size (stretched, as the line art is). */
  private async withInitImage(request: GarmentRequest): Promise<GarmentRequest> {
    if (!startsFromImage(request.init)) return request;
    const { width, height } = this.pack.garment.defaults;
    const image = await fitInitImage(request.init!.image, width, height);
    return { ...request, init: { ...request.init!, image } };
  }

  /** What the worker's pipeline takes: token ids, the fabric by name, normalised pixels. */
  prepare(request: GarmentRequest): PreparedGarmentRequest {
    const pack = this.pack;
    const g = pack.garment;
    let fabric: PreparedGarmentRequest['fabric'] = null;
    if (g.conditioning.fabric && pack.fabrics && request.swatch) {
      const label = request.fabricLabel ? normalizeFabric(request.fabricLabel, pack.fabrics) : fabricFromPrompt(request.prompt, pack.fabrics);
      if (!label) {
        throw new AppError(
          'INVALID_INPUT',
          `A swatch was given but the prompt names no fabric this pack knows (${pack.fabrics.labels.join(', ')}); name one in the prompt or give the fabric.`,
        );
      }
      fabric = {
        label,
        labelIds: this.tokens(g.conditioning.fabric.labelPrompt.replace('{label}', label)),
        swatch: normalizeImage(request.swatch, g.preprocess.swatch),
      };
    }
    const { alpha, variants, steps, guidanceScale, scheduler, noise, batched, keepLatents, controlScale, sketchScale } = request;
    const control = g.preprocess.control;
    const lineArt = takesLineArt(g) && control ? controlImage(request.lineArt ?? request.sketch, control, g.defaults.width, g.defaults.height) : undefined;
    return {
      promptIds: this.tokens(request.prompt),
      negativeIds: this.tokens(g.conditioning.negative.prompt),
      sketch: normalizeImage(request.sketch, g.preprocess.sketch),
      fabric,
      seed: request.seed,
      ...(alpha !== undefined ? { alpha } : {}),
      ...(variants !== undefined ? { variants } : {}),
      ...(steps !== undefined ? { steps } : {}),
      ...(guidanceScale !== undefined ? { guidanceScale } : {}),
      ...(scheduler !== undefined ? { scheduler } : {}),
      ...(noise !== undefined ? { noise } : {}),
      ...(batched !== undefined ? { batched } : {}),
      ...(keepLatents !== undefined ? { keepLatents } : {}),
      ...(controlScale !== undefined ? { controlScale } : {}),
      ...(sketchScale !== undefined ? { sketchScale } : {}),
      ...(lineArt ? { lineArt } : {}),
      // Strength 1 is text-to-image: the worker gets the strength alone and never encodes the image.
      ...(request.init ? { init: { image: startsFromImage(request.init) ? initPixels(request.init.image) : null, strength: request.init.strength } } : {}),
    };
  }
}
