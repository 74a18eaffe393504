import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/contract';
import { BertTokenizer } from '../../../shared/motif/bert-tokenizer';
import type { InferenceWorker, RequestOptions } from '../../workers';
import { cropBoxes, type CropBox } from './index/crops';
import { normalise } from './index/laclip';
import { decodeRgb, toPixels } from './preprocess';
import type { RgbImage } from '../../../shared/motif/pil-bicubic';

/**
 * The part of a motif pack's manifest.json the encoder uses (the `motif` section of the
 * chinese-clip-onnx layout written by tools/models/motif: Chinese-CLIP's official ONNX I/O).
 */
const Graph = (input: string) =>
  z.object({
    file: z.string(),
    inputs: z.object({ [input]: z.object({ name: z.string(), shape: z.array(z.number()) }) }),
    outputs: z.object({ features: z.object({ name: z.string(), shape: z.array(z.number()) }) }),
  });
const MotifSection = z.object({
  layout: z.literal('chinese-clip-onnx'),
  tokenizer: z.object({ kind: z.literal('bert-wordpiece'), vocab: z.string(), contextLength: z.number().int().positive() }),
  graphs: z.object({ text: Graph('ids'), image: Graph('pixels') }),
  preprocess: z.object({
    imageSize: z.number().int().positive(),
    resize: z.literal('stretch'),
    mean: z.tuple([z.number(), z.number(), z.number()]),
    std: z.tuple([z.number(), z.number(), z.number()]),
    rescale: z.number(),
  }),
  embeddingDim: z.number().int().positive(),
  laclip: z.object({
    beta: z.number().min(0).max(1),
    tau: z.number().positive(),
    crops: z.object({ scheme: z.literal('grid+center'), grid: z.tuple([z.number().int(), z.number().int()]), centerScale: z.number() }),
  }),
});
export type MotifModelSpec = z.infer<typeof MotifSection>;

export interface MotifModel {
  id: string;
  version: string;
  dir: string;
  spec: MotifModelSpec;
}

/** Reads the motif section of a pack's manifest; says what is missing when it is not a motif pack. */
export function readMotifModel(dir: string): MotifModel {
  const file = path.join(dir, 'manifest.json');
  let raw: { id?: unknown; version?: unknown; motif?: unknown };
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof raw;
  } catch (err) {
    throw new AppError('MODEL_INVALID', `Cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed = MotifSection.safeParse(raw.motif);
  if (!parsed.success || typeof raw.id !== 'string' || typeof raw.version !== 'string') {
    const issue = parsed.success ? 'id and version' : parsed.error.issues.map((i) => `motif.${i.path.join('.')}: ${i.message}`).slice(0, 3).join('; ');
    throw new AppError('MODEL_INVALID', `${file} is not a motif pack the studio can use (${issue}).`);
  }
  return { id: raw.id, version: raw.version, dir, spec: parsed.data };
}

export interface ImageEmbeddings {
  global: Float32Array;
  crops: Float32Array[];
  boxes: CropBox[];
}

/**
 * Text and image embeddings from a motif pack, computed in the inference worker (ONNX Runtime never
 * runs on this thread). Embeddings come back L2-normalised, as LACLIP's formula wants them.
 */
export class MotifEncoder {
  private readonly tokenizer: BertTokenizer;
  private readonly textSession: string;
  private readonly imageSession: string;
  private readonly loaded = new Map<string, Promise<unknown>>();

  constructor(
    private readonly worker: InferenceWorker,
    readonly model: MotifModel,
  ) {
    this.tokenizer = new BertTokenizer(fs.readFileSync(path.join(model.dir, model.spec.tokenizer.vocab), 'utf8'));
    this.textSession = `motif:${model.id}@${model.version}:text`;
    this.imageSession = `motif:${model.id}@${model.version}:image`;
  }

  get dim(): number {
    return this.model.spec.embeddingDim;
  }

  /** The text graph's raw output (unnorm_text_features). */
  async textFeatures(text: string, options: RequestOptions = {}): Promise<Float32Array> {
    const g = this.model.spec.graphs.text;
    await this.load(this.textSession, g.file, options);
    const ids = this.tokenizer.encodeInt64(text, this.model.spec.tokenizer.contextLength);
    const result = await this.worker.run(this.textSession, { [g.inputs.ids!.name]: { type: 'int64', dims: [1, ids.length], data: ids } }, options);
    return this.features(result.outputs[g.outputs.features.name], g.outputs.features.name);
  }

  async encodeText(text: string, options: RequestOptions = {}): Promise<Float32Array> {
    return normalise(await this.textFeatures(text, options));
  }

  /** The image graph's raw output for a preprocessed [1, 3, S, S] tensor. */
  async imageFeatures(pixels: Float32Array, options: RequestOptions = {}): Promise<Float32Array> {
    const g = this.model.spec.graphs.image;
    await this.load(this.imageSession, g.file, options);
    const s = this.model.spec.preprocess.imageSize;
    const result = await this.worker.run(this.imageSession, { [g.inputs.pixels!.name]: { type: 'float32', dims: [1, 3, s, s], data: pixels } }, options);
    return this.features(result.outputs[g.outputs.features.name], g.outputs.features.name);
  }

  /** The whole image and its crops (the pack's crop scheme), each encoded and normalised. */
  async encodeImage(bytes: Buffer | Uint8Array, options: RequestOptions = {}): Promise<ImageEmbeddings> {
    return this.encodeDecoded(await decodeRgb(bytes), options);
  }

  /** As encodeImage, for pixels already decoded (a region of a larger image, a composite). */
  async encodeDecoded(image: RgbImage, options: RequestOptions = {}): Promise<ImageEmbeddings> {
    const boxes = cropBoxes(image.width, image.height, this.model.spec.laclip.crops);
    const global = normalise(await this.imageFeatures(this.pixels(image, null), options));
    const crops: Float32Array[] = [];
    for (const box of boxes) crops.push(normalise(await this.imageFeatures(this.pixels(image, box), options)));
    return { global, crops, boxes };
  }

  /** One view (the whole image, or a box of it) as a normalised embedding: what an image query is. */
  async encodeView(image: RgbImage, box: CropBox | null, options: RequestOptions = {}): Promise<Float32Array> {
    return normalise(await this.imageFeatures(this.pixels(image, box), options));
  }

  /**
   * Preprocessing as the pack says, through PIL's bicubic (preprocess.ts says why not libvips'):
   * the parity test against tools/models/motif/golden/motif-preprocess.* holds it to the reference.
   */
  pixels(image: RgbImage, box: CropBox | null): Float32Array {
    return toPixels(image, this.model.spec.preprocess, box);
  }

  /** Loads a graph once; the worker reloads it by itself after a restart. */
  private load(sessionId: string, file: string, options: RequestOptions): Promise<unknown> {
    let loading = this.loaded.get(sessionId);
    if (!loading) {
      loading = this.worker.loadSession(sessionId, path.join(this.model.dir, file), options);
      loading.catch(() => this.loaded.delete(sessionId));
      this.loaded.set(sessionId, loading);
    }
    return loading;
  }

  /** Frees the graphs in the worker. */
  async release(): Promise<void> {
    this.loaded.clear();
    await Promise.all([this.worker.release(this.textSession), this.worker.release(this.imageSession)]);
  }

  private features(tensor: { type: string; data: unknown } | undefined, name: string): Float32Array {
    if (!tensor || tensor.type !== 'float32' || !(tensor.data instanceof Float32Array) || tensor.data.length !== this.dim) {
      throw new AppError('MODEL_INVALID', `The motif pack ${this.model.id} gave no ${this.dim}-dimensional float32 "${name}".`);
    }
    return tensor.data;
  }
}
