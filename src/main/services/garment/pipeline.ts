import { AppError } from '../../../shared/contract/errors';
import type { WireTensor } from '../../workers/protocol';
import { harmonizedAlpha } from './conditioning';
import { LineArtControl, type ControlFeeds } from './controlnet';
import { dynamicBatch, fixedBatch, type GarmentGraphs } from './graphs';
import { GaussianNoise } from './noise';
import { checkStrength } from './init-image';
import { schedulerMaker, strengthStartIndex, type Scheduler, type SchedulerName } from './schedulers';
import { SketchRoute, type SketchFeeds } from './sketch';
import { batch, concatTokens, filled, fromWire, guide, item, itemView, leadingTokens, wire, type F32 } from './tensor';

const f32 = Math.fround;

export const VARIANTS = ['imageBiased', 'textBiased'] as const;
export type VariantName = (typeof VARIANTS)[number];
/** A number sets alpha by hand; 'rule' lets the pack's rule (harmonized or fixed) decide. */
export type AlphaChoice = number | 'rule';

/** The settings of one render, the same whether the main side or the worker holds the request. */
export interface RenderSettings {
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
  /** The ControlNet's conditioning scale (0..2, 0 turns it off); the manifest's default when left out. */
  controlScale?: number;
  /**
   * The sketch route's scale per variant (0..2, 0 turns it off), for a pack with a sketch encoder; the
   * manifest's defaults.variants.*.sketchScale, else 1, where left out.
   */
  sketchScale?: Partial<Record<VariantName, number>>;
}

/**
 * A render as the pipeline takes it, prepared on the main side (generator.ts): the prompts already
 * token ids, the fabric already named, the images already normalised pixels. So the worker needs no
 * tokenizer files, no fabric table and no image library.
 */
export interface PreparedGarmentRequest extends RenderSettings {
  promptIds: number[];
  negativeIds: number[];
  /** The normalised sketch, [1, 3, S, S]. */
  sketch: F32;
  /** The fabric to fuse: its label prompt's ids and the normalised swatch; null for none. */
  fabric: { label: string; labelIds: number[]; swatch: F32 } | null;
  /**
   * The flat's line art through preprocess.control, [1, 3, H, W]: the ControlNet's conditioning image
   * and the sketch encoder's input; only for a pack with either.
   */
  lineArt?: F32;
  /**
   * Image-to-image: the init image as the VAE encoder takes it ([1, 3, H, W] in [-1, 1], see
   * initPixels) and the strength (0..1). Strength 1, or none, is text-to-image from pure noise.
   */
  init?: { image: F32 | null; strength: number };
}

export interface VariantResult {
  name: VariantName;
  alpha: number;
  /** The sketch route's scale on this variant's positive rows; only for a pack with a sketch encoder. */
  sketchScale?: number;
  /** [1, 3, H, W] in [-1, 1]. */
  image: F32;
  latents: Float32Array[];
}

export interface GarmentRun {
  /** The timesteps run: all of the schedule, or its last int(steps x strength) when starting from an image. */
  timesteps: number[];
  /** The init image's strength when the run started from one (below 1); absent for text-to-image. */
  strength?: number;
  fabricLabel: string | null;
  batched: boolean;
  variants: VariantResult[];
}

export interface RunControl {
  /** After every denoising step (1-based), before the next starts. */
  onStep?: (step: number, total: number) => void;
  /** Throws JOB_CANCELLED once the run was cancelled; called before every step and the decode. */
  throwIfCancelled?: () => void;
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

interface UnetConditions {
  rows: number;
  textEmbeds: WireTensor;
  imagePromptEmbeds: WireTensor;
  alpha: WireTensor;
  /** The ControlNet's own constant feeds for these rows, when the pack has one. */
  control?: ControlFeeds;
  /** The sketch route's features and per-row scales, when the pack has a sketch encoder. */
  sketch?: SketchFeeds;
  /** This group's rows of the step's samples; refilled in place every step. */
  sample: { type: 'float32'; dims: number[]; data: Float32Array };
  /** The step's timestep for every row; refilled in place every step. */
  timestep: WireTensor;
}

const TEXT_CACHE_LIMIT = 64;

/**
 * HiGarment's sampling loop over a pack's graphs: text and sketch (and fabric) encoded, alpha
 * chosen, classifier-free guidance with the negative condition, the scheduler's loop, the VAE. It
 * runs inside the inference worker (worker-task.ts), next to the sessions, so a step costs no IPC.
 * It is the TypeScript twin of tools/models/garment/pipeline.py; the parity test holds them together.
 */
export class GarmentPipeline {
  private readonly textCache = new Map<string, EncodedText>();
  private readonly schedulerMakers = new Map<SchedulerName | 'pack', () => Scheduler>();
  private imageNegative: F32 | null = null;

  constructor(readonly pack: GarmentGraphs) {}

  async generate(request: PreparedGarmentRequest, control: RunControl = {}): Promise<GarmentRun> {
    const g = this.pack.garment;
    const steps = request.steps ?? g.defaults.steps;
    const guidance = f32(request.guidanceScale ?? g.defaults.guidanceScale);
    const names = request.variants ?? VARIANTS;
    const checkCancelled = control.throwIfCancelled ?? (() => undefined);
    const lineArt = LineArtControl.forRender(this.pack, request.lineArt, request.controlScale);
    const cond = await this.condition(request);
    const latentShape = [1, g.latents.channels, g.defaults.height / g.latents.downscale, g.defaults.width / g.latents.downscale];
    // Once per render, with the other encoders (a staged pack releases it before the loop).
    const sketch = await SketchRoute.forRender(this.pack, request.lineArt, request.sketchScale, latentShape);

    const variants = names.map((name) => {
      const choice = request.alpha?.[name] ?? g.defaults.variants[name].alpha;
      return { name, alpha: this.alphaFor(choice, cond), sketchScale: sketch?.scale(name) ?? 0 };
    });

    const size = latentShape.reduce((a, b) => a * b, 1);
    const noiseSource = new GaussianNoise(request.seed);
    const initial = request.noise ?? noiseSource.sample(size);
    if (initial.length !== size) {
      throw new AppError('INVALID_INPUT', `The initial noise has ${initial.length} values; this pack's latents [${latentShape.join(',')}] need ${size}.`);
    }
    const makeScheduler = this.schedulerMaker(request.scheduler);
    const schedulers: Scheduler[] = variants.map(() => {
      const s = makeScheduler();
      s.setTimesteps(steps);
      return s;
    });
    let timesteps = [...schedulers[0]!.timesteps];
    let latents: Float32Array[];
    const strength = request.init && request.init.strength < 1 ? request.init.strength : null;
    if (strength !== null) {
      // diffusers' StableDiffusionImg2ImgPipeline: the last int(steps x strength) timesteps, and the
      // encoded image noised to the first of them with the run's seeded noise (no initNoiseSigma).
      checkStrength(strength, steps);
      timesteps = timesteps.slice(strengthStartIndex(steps, strength));
      const init = await this.encodeInit(request.init!.image, latentShape);
      latents = schedulers.map((s) => s.addNoise(init, initial, timesteps[0]!));
    } else {
      const sigma = f32(schedulers[0]!.initNoiseSigma);
      latents = variants.map(() => initial.map((x) => f32(x * sigma)));
    }
    const kept: Float32Array[][] = variants.map(() => []);
    const dynamic = dynamicBatch(this.pack, 'unet', 'sample');
    const batched = (request.batched ?? dynamic) && variants.length > 1;
    if (batched && !dynamic) throw new AppError('INVALID_INPUT', `The pack "${this.pack.id}" has a fixed UNet batch; it cannot run both variants in one pass.`);
    // At guidance 1, uncond + 1 x (cond - uncond) is the positive prediction: the negative rows would
    // double the UNet's work for nothing (an LCM recipe's both variants are then one batch of 2). A
    // fixed-batch UNet keeps its rows.
    const perVariant = guidance === 1 && dynamic ? 1 : 2;
    const groupSize = this.unetGroupSize(batched ? variants.length * perVariant : perVariant);
    // Rows go (negative, positive) per variant, or positive only. Only the samples change from step
    // to step, so the conditions are batched once here rather than copied into every step's feeds.
    const conditions = this.unetConditions(
      variants.flatMap((v) => [
        ...(perVariant === 2 ? [{ text: cond.textNegative, image: cond.imageNegative, alpha: v.alpha, sketchScale: 0 }] : []),
        { text: cond.text, image: cond.image, alpha: v.alpha, sketchScale: v.sketchScale },
      ]),
      groupSize,
      latentShape,
      lineArt,
      sketch,
    );

    // The hot loop allocates no feeds: each step writes the scaled samples into the groups' own
    // sample buffers (made once, in unetConditions) and guidance into one buffer per variant, which
    // the schedulers read and never keep.
    const guided = variants.map(() => new Float32Array(size));
    for (let k = 0; k < timesteps.length; k++) {
      checkCancelled();
      const t = timesteps[k]!;
      for (let i = 0; i < variants.length; i++) {
        const x = schedulers[i]!.scaleModelInput(latents[i]!, t);
        // A variant's rows (negative and positive, or positive alone) take the same sample.
        for (let row = perVariant * i; row < perVariant * (i + 1); row++) conditions[Math.floor(row / groupSize)]!.sample.data.set(x, (row % groupSize) * size);
      }
      const eps = await this.runUnet(conditions, t, lineArt);
      // One draw per step like diffusers (LCM ignores it on its last step), shared by the variants.
      const stepNoise = schedulers[0]!.needsNoise ? noiseSource.sample(size) : undefined;
      for (let i = 0; i < variants.length; i++) {
        const out = perVariant === 2 ? guide(guided[i]!, eps[2 * i]!.data, eps[2 * i + 1]!.data, guidance) : eps[i]!.data;
        const next = schedulers[i]!.step(out, t, latents[i]!, stepNoise ? { noise: stepNoise } : {});
        if (request.keepLatents) kept[i]!.push(next);
        latents[i] = next;
      }
      control.onStep?.(k + 1, timesteps.length);
    }

    checkCancelled();
    const scale = f32(g.latents.scalingFactor);
    const scaled = latents.map((l) => ({ dims: latentShape, data: l.map((x) => x / scale) }));
    const images = await this.decode(scaled);
    return {
      timesteps,
      ...(strength !== null ? { strength } : {}),
      fabricLabel: cond.fabricLabel,
      batched,
      variants: variants.map((v, i) => ({
        name: v.name,
        alpha: v.alpha,
        ...(sketch ? { sketchScale: v.sketchScale } : {}),
        image: images[i]!,
        latents: kept[i]!,
      })),
    };
  }

  /** The init image's latents: the VAE encoder's mean times the pack's scaling factor, [1, C, h, w]. */
  private async encodeInit(image: F32 | null, latentShape: number[]): Promise<Float32Array> {
    if (!this.pack.garment.graphs.vaeEncoder) throw new AppError('INVALID_INPUT', `The pack "${this.pack.id}" has no VAE encoder; start from noise.`);
    const [, , height, width] = latentShape as [number, number, number, number];
    const down = this.pack.garment.latents.downscale;
    if (!image || image.dims.join() !== [1, 3, height * down, width * down].join()) {
      throw new AppError('INVALID_INPUT', `The init image must be [1,3,${height * down},${width * down}], got [${image?.dims.join(',') ?? 'none'}].`);
    }
    const mean = fromWire((await this.pack.run('vaeEncoder', { image: wire(image) })).outputs['latentMean']!, 'latent mean');
    if (mean.dims.join() !== latentShape.join()) {
      throw new AppError('MODEL_INVALID', `The VAE encoder gave latents [${mean.dims.join(',')}]; this pack's latents are [${latentShape.join(',')}].`);
    }
    const scale = f32(this.pack.garment.latents.scalingFactor);
    return mean.data.map((x) => f32(x * scale));
  }

  /** The prompt's hidden states, pooled output and EOS position; cached per token ids. */
  async encodeText(ids: readonly number[]): Promise<EncodedText> {
    const key = ids.join(',');
    const hit = this.textCache.get(key);
    if (hit) return hit;
    const spec = this.pack.garment.graphs.textEncoder.inputs.ids;
    const feed: WireTensor =
      spec.dtype === 'int32'
        ? { type: 'int32', dims: [1, ids.length], data: Int32Array.from(ids) }
        : { type: 'int64', dims: [1, ids.length], data: BigInt64Array.from(ids, (i) => BigInt(i)) };
    const { outputs } = await this.pack.run('textEncoder', { ids: feed });
    const encoded: EncodedText = {
      hidden: fromWire(outputs['hiddenStates']!, 'text hidden states'),
      pooled: fromWire(outputs['pooled']!, 'pooled text'),
      eos: ids.indexOf(this.pack.garment.tokenizer.specialIds.eos),
    };
    if (this.textCache.size >= TEXT_CACHE_LIMIT) this.textCache.delete(this.textCache.keys().next().value!);
    this.textCache.set(key, encoded);
    return encoded;
  }

  private async condition(request: PreparedGarmentRequest): Promise<Condition> {
    const text = await this.encodeText(request.promptIds);
    const negative = await this.encodeText(request.negativeIds);
    const embeds = fromWire((await this.pack.run('imageEncoder', { pixels: wire(request.sketch) })).outputs['imageEmbeds']!, 'image embeds');
    const project = async (e: F32) => fromWire((await this.pack.run('imageProjection', { imageEmbeds: wire(e) })).outputs['imagePromptEmbeds']!, 'image prompt');
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
    if (this.pack.garment.conditioning.fabric && request.fabric) {
      const labelText = await this.encodeText(request.fabric.labelIds);
      const swatchHidden = (await this.pack.run('imageEncoder', { pixels: wire(request.fabric.swatch) })).outputs['hiddenStates']!;
      const fused = await this.pack.run('fabricFusion', { labelEmbeds: wire(labelText.pooled), fabricHiddenStates: swatchHidden });
      const f = fromWire(fused.outputs['fabricTokens']!, 'fabric tokens');
      // f enriches both conditions and the negative side too, so every batch row has one shape.
      cond = {
        text: concatTokens(cond.text, f),
        textNegative: concatTokens(cond.textNegative, f),
        image: concatTokens(cond.image, f),
        imageNegative: concatTokens(cond.imageNegative, f),
        textForAlpha: { dims: [cond.textForAlpha.dims[0]! + f.dims[1]!, f.dims[2]!], data: joined(cond.textForAlpha.data, f.data) },
        fabricLabel: request.fabric.label,
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

  /** The pack's scheduler config is checked once per sampler, not on every render. */
  private schedulerMaker(name: SchedulerName | undefined): () => Scheduler {
    const key = name ?? 'pack';
    let make = this.schedulerMakers.get(key);
    if (!make) {
      make = schedulerMaker(this.pack.schedulerConfig, name);
      this.schedulerMakers.set(key, make);
    }
    return make;
  }

  /** How many rows one UNet call takes: the wanted count when the batch is open, else its fixed size. */
  private unetGroupSize(wanted: number): number {
    return fixedBatch(this.pack, 'unet', 'sample') ?? wanted;
  }

  /**
   * The UNet's feeds for each group of rows, made once per render: the conditions batched, and the
   * sample and timestep buffers that every step refills in place (one allocation per render).
   */
  private unetConditions(
    rows: { text: F32; image: F32; alpha: number; sketchScale: number }[],
    groupSize: number,
    latentShape: number[],
    lineArt: LineArtControl | null,
    sketch: SketchRoute | null,
  ): UnetConditions[] {
    const groups: UnetConditions[] = [];
    const timestepType = this.pack.garment.graphs.unet.inputs.timestep.dtype;
    const size = latentShape.reduce((a, b) => a * b, 1);
    for (let at = 0; at < rows.length; at += groupSize) {
      const group = rows.slice(at, at + groupSize);
      const n = group.length;
      groups.push({
        rows: n,
        textEmbeds: wire(batch(group.map((r) => r.text))),
        imagePromptEmbeds: wire(batch(group.map((r) => r.image))),
        alpha: { type: 'float32', dims: [n], data: Float32Array.from(group, (r) => r.alpha) },
        sample: { type: 'float32', dims: [n, ...latentShape.slice(1)], data: new Float32Array(n * size) },
        timestep: timestepType === 'int64' ? { type: 'int64', dims: [n], data: new BigInt64Array(n) } : { type: 'float32', dims: [n], data: new Float32Array(n) },
        ...(lineArt ? { control: lineArt.feeds(n) } : {}),
        ...(sketch ? { sketch: sketch.feeds(group.map((r) => r.sketchScale)) } : {}),
      });
    }
    return groups;
  }

  /** One step's noise predictions, one view per row, from the groups' feeds as the loop filled them. */
  private async runUnet(conditions: UnetConditions[], t: number, lineArt: LineArtControl | null): Promise<F32[]> {
    const out: F32[] = [];
    for (const { rows: n, control, sketch, sample, timestep, ...condition } of conditions) {
      if (timestep.type === 'int64') timestep.data.fill(BigInt(Math.round(t)));
      else if (timestep.type === 'float32') timestep.data.fill(t);
      // The ControlNet sees the UNet's very batch; its residuals join the UNet's feeds by role.
      const residuals = lineArt && control ? await lineArt.residuals({ sample, textEmbeds: condition.textEmbeds, t }, control) : {};
      const { outputs } = await this.pack.run('unet', { sample, timestep, ...condition, ...sketch, ...residuals });
      const eps = fromWire(outputs['noisePred']!, 'noise prediction');
      // Views, not copies: guidance reads them once, right away.
      for (let i = 0; i < n; i++) out.push(itemView(eps, i));
    }
    return out;
  }

  private async decode(latents: F32[]): Promise<F32[]> {
    if (dynamicBatch(this.pack, 'vaeDecoder', 'latents') && latents.length > 1) {
      const image = fromWire((await this.pack.run('vaeDecoder', { latents: wire(batch(latents)) })).outputs['image']!, 'image');
      return latents.map((_, i) => item(image, i));
    }
    const out: F32[] = [];
    for (const l of latents) out.push(fromWire((await this.pack.run('vaeDecoder', { latents: wire(l) })).outputs['image']!, 'image'));
    return out;
  }
}

function joined(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
