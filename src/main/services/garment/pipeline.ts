import { AppError } from '../../../shared/contract';
import type { WireTensor } from '../../workers';
import { fabricFromPrompt, harmonizedAlpha, normalizeFabric } from './conditioning';
import { GaussianNoise } from './noise';
import type { LoadedGarmentPack } from './pack';
import type { Rgb8 } from './png';
import { normalizeImage } from './preprocess';
import { schedulerFromPack, type Scheduler, type SchedulerName } from './schedulers';
import { batch, concatTokens, filled, fromWire, item, leadingTokens, wire, type F32 } from './tensor';

const f32 = Math.fround;

export const VARIANTS = ['imageBiased', 'textBiased'] as const;
export type VariantName = (typeof VARIANTS)[number];
/** A number sets alpha by hand; 'rule' lets the pack's rule (harmonized or fixed) decide. */
export type AlphaChoice = number | 'rule';

export interface GarmentRequest {
  prompt: string;
  /** The flat sketch, already at the image encoder's size (see fitImage). */
  sketch: Rgb8;
  /** The fabric swatch at the encoder's size; without one, no fabric fusion. */
  swatch?: Rgb8 | null;
  /** The fabric word; found in the prompt through the pack's synonym table when not given. */
  fabricLabel?: string | null;
  /** alpha per variant; the manifest's defaults where left out. */
  alpha?: Partial<Record<VariantName, AlphaChoice>>;
  /** Which variants to make; both by default. */
  variants?: readonly VariantName[];
  steps?: number;
  guidanceScale?: number;
  scheduler?: SchedulerName;
  seed: number;
  /** The initial latents before initNoiseSigma, [1, C, h, w]; drawn from the seed when not given. */
  noise?: Float32Array;
  /** All variants in one UNet pass; default: whenever the UNet takes a dynamic batch. */
  batched?: boolean;
  /** Keep the latents after every step (tests, previews). */
  keepLatents?: boolean;
}

export interface VariantResult {
  name: VariantName;
  alpha: number;
  /** [1, 3, H, W] in [-1, 1]. */
  image: F32;
  latents: Float32Array[];
}

export interface GarmentRun {
  timesteps: number[];
  fabricLabel: string | null;
  batched: boolean;
  variants: VariantResult[];
}

export interface RunControl {
  /** After every denoising step (1-based), before the next starts. */
  onStep?: (step: number, total: number) => void;
  /** Stops the run within a step: the wait for the worker ends at once (JOB_CANCELLED). */
  signal?: AbortSignal;
}

interface EncodedText {
  hidden: F32;
  pooled: F32;
  eos: number;
}

interface Condition {
  text: F32;
  textNegative: F32;
  image: F32;
  imageNegative: F32;
  /** The text tokens alpha's rule compares with the image tokens: up to EOS, plus the fabric tokens. */
  textForAlpha: F32;
  fabricLabel: string | null;
}

const TEXT_CACHE_LIMIT = 64;

/**
 * HiGarment's sampling loop over a loaded pack: text and sketch (and fabric) encoded, alpha chosen,
 * classifier-free guidance with the negative condition, the scheduler's loop, the VAE. It is the
 * TypeScript twin of tools/models/garment/pipeline.py; the parity test holds them together.
 */
export class GarmentPipeline {
  private readonly textCache = new Map<string, EncodedText>();
  private imageNegative: F32 | null = null;

  constructor(readonly pack: LoadedGarmentPack) {
    if (pack.garment.graphs.controlnet) {
      // The reference feeds line art (or zero residuals) through the ControlNet; not built here yet.
      throw new AppError('MODEL_INVALID', `The pack "${pack.id}" has a ControlNet, which this studio version cannot run yet.`);
    }
  }

  async generate(request: GarmentRequest, control: RunControl = {}): Promise<GarmentRun> {
    const g = this.pack.garment;
    const steps = request.steps ?? g.defaults.steps;
    const guidance = f32(request.guidanceScale ?? g.defaults.guidanceScale);
    const names = request.variants ?? VARIANTS;
    const signal = control.signal;
    const cond = await this.condition(request, signal);

    const variants = names.map((name) => {
      const choice = request.alpha?.[name] ?? g.defaults.variants[name].alpha;
      return { name, alpha: this.alphaFor(choice, cond) };
    });

    const latentShape = [1, g.latents.channels, g.defaults.height / g.latents.downscale, g.defaults.width / g.latents.downscale];
    const size = latentShape.reduce((a, b) => a * b, 1);
    const noiseSource = new GaussianNoise(request.seed);
    const initial = request.noise ?? noiseSource.sample(size);
    if (initial.length !== size) {
      throw new AppError('INVALID_INPUT', `The initial noise has ${initial.length} values; this pack's latents [${latentShape.join(',')}] need ${size}.`);
    }
    const schedulers: Scheduler[] = variants.map(() => {
      const s = schedulerFromPack(this.pack.schedulerConfig, request.scheduler);
      s.setTimesteps(steps);
      return s;
    });
    const sigma = f32(schedulers[0]!.initNoiseSigma);
    let latents: Float32Array[] = variants.map(() => initial.map((x) => f32(x * sigma)));
    const kept: Float32Array[][] = variants.map(() => []);
    const timesteps = [...schedulers[0]!.timesteps];
    const dynamic = this.pack.dynamicBatch('unet', 'sample');
    const batched = (request.batched ?? dynamic) && variants.length > 1;
    if (batched && !dynamic) throw new AppError('INVALID_INPUT', `The pack "${this.pack.id}" has a fixed UNet batch; it cannot run both variants in one pass.`);
    const groupSize = this.unetGroupSize(batched ? variants.length * 2 : 2);

    for (let k = 0; k < timesteps.length; k++) {
      throwIfAborted(signal);
      const t = timesteps[k]!;
      const rows: { sample: F32; text: F32; image: F32; alpha: number }[] = [];
      variants.forEach((v, i) => {
        const x: F32 = { dims: latentShape, data: schedulers[i]!.scaleModelInput(latents[i]!, t) };
        rows.push({ sample: x, text: cond.textNegative, image: cond.imageNegative, alpha: v.alpha });
        rows.push({ sample: x, text: cond.text, image: cond.image, alpha: v.alpha });
      });
      const eps = await this.runUnet(rows, t, groupSize, signal);
      // One draw per step like diffusers (LCM ignores it on its last step), shared by the variants.
      const stepNoise = schedulers[0]!.needsNoise ? noiseSource.sample(size) : undefined;
      latents = variants.map((_, i) => {
        const uncond = eps[2 * i]!.data;
        const condEps = eps[2 * i + 1]!.data;
        const guided = new Float32Array(size);
        for (let j = 0; j < size; j++) guided[j] = f32(uncond[j]! + f32(guidance * f32(condEps[j]! - uncond[j]!)));
        const next = schedulers[i]!.step(guided, t, latents[i]!, stepNoise ? { noise: stepNoise } : {});
        if (request.keepLatents) kept[i]!.push(next);
        return next;
      });
      control.onStep?.(k + 1, timesteps.length);
    }

    throwIfAborted(signal);
    const scale = f32(g.latents.scalingFactor);
    const scaled = latents.map((l) => ({ dims: latentShape, data: l.map((x) => x / scale) }));
    const images = await this.decode(scaled, signal);
    return {
      timesteps,
      fabricLabel: cond.fabricLabel,
      batched,
      variants: variants.map((v, i) => ({ name: v.name, alpha: v.alpha, image: images[i]!, latents: kept[i]! })),
    };
  }

  /** The prompt's hidden states, pooled output and EOS position; cached per prompt. */
  async encodeText(prompt: string, signal?: AbortSignal): Promise<EncodedText> {
    const hit = this.textCache.get(prompt);
    if (hit) return hit;
    const tok = this.pack.tokenizer;
    const ids = tok.encode(prompt);
    const spec = this.pack.garment.graphs.textEncoder.inputs.ids;
    const feed: WireTensor =
      spec.dtype === 'int32'
        ? { type: 'int32', dims: [1, ids.length], data: Int32Array.from(ids) }
        : { type: 'int64', dims: [1, ids.length], data: BigInt64Array.from(ids, (i) => BigInt(i)) };
    const { outputs } = await this.pack.run('textEncoder', { ids: feed }, signal);
    const encoded: EncodedText = {
      hidden: fromWire(outputs['hiddenStates']!, 'text hidden states'),
      pooled: fromWire(outputs['pooled']!, 'pooled text'),
      eos: ids.indexOf(tok.eosId),
    };
    if (this.textCache.size >= TEXT_CACHE_LIMIT) this.textCache.delete(this.textCache.keys().next().value!);
    this.textCache.set(prompt, encoded);
    return encoded;
  }

  private async condition(request: GarmentRequest, signal?: AbortSignal): Promise<Condition> {
    const g = this.pack.garment;
    const text = await this.encodeText(request.prompt, signal);
    const negative = await this.encodeText(g.conditioning.negative.prompt, signal);
    const pixels = normalizeImage(request.sketch, g.preprocess.sketch);
    const embeds = fromWire((await this.pack.run('imageEncoder', { pixels: wire(pixels) }, signal)).outputs['imageEmbeds']!, 'image embeds');
    const project = async (e: F32) => fromWire((await this.pack.run('imageProjection', { imageEmbeds: wire(e) }, signal)).outputs['imagePromptEmbeds']!, 'image prompt');
    const image = await project(embeds);
    // The negative image condition is the projection of zero embeddings: the same for every run.
    this.imageNegative ??= await project(filled(embeds.dims, 0));
    let cond: Condition = {
      text: text.hidden,
      textNegative: negative.hidden,
      image,
      imageNegative: this.imageNegative,
      textForAlpha: leadingTokens(text.hidden, text.eos + 1),
      fabricLabel: null,
    };
    const fabric = g.conditioning.fabric;
    if (fabric && this.pack.fabrics && request.swatch) {
      const label = request.fabricLabel ? normalizeFabric(request.fabricLabel, this.pack.fabrics) : fabricFromPrompt(request.prompt, this.pack.fabrics);
      if (!label) {
        throw new AppError(
          'INVALID_INPUT',
          `A swatch was given but the prompt names no fabric this pack knows (${this.pack.fabrics.labels.join(', ')}); name one in the prompt or give the fabric.`,
        );
      }
      const labelText = await this.encodeText(fabric.labelPrompt.replace('{label}', label), signal);
      const swatchPixels = normalizeImage(request.swatch, g.preprocess.swatch);
      const swatchHidden = (await this.pack.run('imageEncoder', { pixels: wire(swatchPixels) }, signal)).outputs['hiddenStates']!;
      const fused = await this.pack.run('fabricFusion', { labelEmbeds: wire(labelText.pooled), fabricHiddenStates: swatchHidden }, signal);
      const f = fromWire(fused.outputs['fabricTokens']!, 'fabric tokens');
      // f enriches both conditions and the negative side too, so every batch row has one shape.
      cond = {
        text: concatTokens(cond.text, f),
        textNegative: concatTokens(cond.textNegative, f),
        image: concatTokens(cond.image, f),
        imageNegative: concatTokens(cond.imageNegative, f),
        textForAlpha: { dims: [cond.textForAlpha.dims[0]! + f.dims[1]!, f.dims[2]!], data: joined(cond.textForAlpha.data, f.data) },
        fabricLabel: label,
      };
    }
    return cond;
  }

  private alphaFor(choice: AlphaChoice, cond: Condition): number {
    if (typeof choice === 'number') {
      if (!(choice >= 0 && choice <= 2)) throw new AppError('INVALID_INPUT', `alpha must be between 0 and 2, got ${choice}.`);
      return choice;
    }
    const rule = this.pack.garment.conditioning.alpha;
    if (rule.rule === 'fixed') return rule.value;
    const image = cond.image;
    return harmonizedAlpha({ dims: image.dims.slice(1), data: image.data }, cond.textForAlpha, rule.lambda);
  }

  /** How many rows one UNet call takes: the wanted count when the batch is open, else its fixed size. */
  private unetGroupSize(wanted: number): number {
    const spec = this.pack.garment.graphs.unet.inputs.sample;
    const first = this.pack.sessions.unet?.inputs.find((v) => v.name === spec.name)?.shape?.[0];
    return typeof first === 'number' && first > 0 ? first : wanted;
  }

  private async runUnet(rows: { sample: F32; text: F32; image: F32; alpha: number }[], t: number, groupSize: number, signal?: AbortSignal): Promise<F32[]> {
    const out: F32[] = [];
    const timestepSpec = this.pack.garment.graphs.unet.inputs.timestep;
    for (let at = 0; at < rows.length; at += groupSize) {
      const group = rows.slice(at, at + groupSize);
      const n = group.length;
      const timestep: WireTensor =
        timestepSpec.dtype === 'int64'
          ? { type: 'int64', dims: [n], data: new BigInt64Array(n).fill(BigInt(Math.round(t))) }
          : { type: 'float32', dims: [n], data: new Float32Array(n).fill(t) };
      const { outputs } = await this.pack.run(
        'unet',
        {
          sample: wire(batch(group.map((r) => r.sample))),
          timestep,
          textEmbeds: wire(batch(group.map((r) => r.text))),
          imagePromptEmbeds: wire(batch(group.map((r) => r.image))),
          alpha: { type: 'float32', dims: [n], data: Float32Array.from(group, (r) => r.alpha) },
        },
        signal,
      );
      const eps = fromWire(outputs['noisePred']!, 'noise prediction');
      for (let i = 0; i < n; i++) out.push(item(eps, i));
    }
    return out;
  }

  private async decode(latents: F32[], signal?: AbortSignal): Promise<F32[]> {
    if (this.pack.dynamicBatch('vaeDecoder', 'latents') && latents.length > 1) {
      const image = fromWire((await this.pack.run('vaeDecoder', { latents: wire(batch(latents)) }, signal)).outputs['image']!, 'image');
      return latents.map((_, i) => item(image, i));
    }
    const out: F32[] = [];
    for (const l of latents) out.push(fromWire((await this.pack.run('vaeDecoder', { latents: wire(l) }, signal)).outputs['image']!, 'image'));
    return out;
  }
}

function joined(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AppError('JOB_CANCELLED', 'The generation was cancelled.');
}
