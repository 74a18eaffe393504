import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { AppError } from '../../../shared/contract';
import { BertTokenizer } from '../../../shared/motif/bert-tokenizer';
import type { InferenceWorker, RequestOptions } from '../../workers';
import { cropBoxes, type CropBox } from './index/crops';
import { normalise } from './index/laclip';

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
  async encodeImage(bytes: Buffer, options: RequestOptions = {}): Promise<ImageEmbeddings> {
    const meta = await sharp(bytes).metadata();
    if (!meta.width || !meta.height) throw new AppError('INVALID_INPUT', 'The image has no size.');
    const boxes = cropBoxes(meta.width, meta.height, this.model.spec.laclip.crops);
    const global = normalise(await this.imageFeatures(await this.pixels(bytes, null), options));
    const crops: Float32Array[] = [];
    for (const box of boxes) crops.push(normalise(await this.imageFeatures(await this.pixels(bytes, box), options)));
    return { global, crops, boxes };
  }

  /**
   * Preprocessing as the pack says: RGB, stretched to S x S (bicubic), scaled to [0, 1], minus mean,
   * over std, NCHW. libvips' cubic is not PIL's bicubic to the last bit; the pack's preprocessing
   * golden (tools/models/motif/golden/motif-preprocess.json) measures how close.
   */
  async pixels(bytes: Buffer, box: CropBox | null): Promise<Float32Array> {
    const p = this.model.spec.preprocess;
    let img = sharp(bytes);
    if (box) img = img.extract({ left: box[0], top: box[1], width: box[2] - box[0], height: box[3] - box[1] });
    const raw = await img.resize(p.imageSize, p.imageSize, { fit: 'fill', kernel: 'cubic' }).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const { channels } = raw.info;
    const plane = p.imageSize * p.imageSize;
    const out = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < 3; c++) out[c * plane + i] = (raw.data[i * channels + Math.min(c, channels - 1)]! * p.rescale - p.mean[c]!) / p.std[c]!;
    }
    return out;
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
