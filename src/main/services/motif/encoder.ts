import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/contract';
import { BertTokenizer } from '../../../shared/motif/bert-tokenizer';
import { MotifSectionSchema, type MotifSection, type TensorSpec } from '../../../shared/packs/manifest';
import type { InferenceWorker, RequestOptions, TensorMap, WireTensor } from '../../workers';
import { cropBoxes, type CropBox } from './index/crops';
import { normalise } from './index/laclip';
import { decodeRgb, toPixels } from './preprocess';
import type { RgbImage } from '../../../shared/motif/pil-bicubic';

export type MotifModelSpec = MotifSection;

export interface MotifModel {
  id: string;
  version: string;
  dir: string;
  spec: MotifModelSpec;
}

/** What the studio's WordPiece port (shared/motif/bert-tokenizer.ts) implements; a pack asking otherwise is refused, not misread. */
const WORDPIECE = { doLowerCase: true, tokenizeChineseChars: true, maxCharsPerWord: 200 } as const;
const ID_TYPES = ['int64', 'int32'] as const;

/**
 * Reads the motif section of a pack's manifest (shared/packs/manifest.ts, either layout:
 * `chinese-clip-onnx`, the official export, or `hf-chinese-clip`, assembled from the Hugging Face
 * checkpoint); says what is missing or unsupported when the studio cannot run it.
 */
export function readMotifModel(dir: string): MotifModel {
  const file = path.join(dir, 'manifest.json');
  let raw: { id?: unknown; version?: unknown; motif?: unknown };
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof raw;
  } catch (err) {
    throw new AppError('MODEL_INVALID', `Cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed = MotifSectionSchema.safeParse(raw.motif);
  if (!parsed.success || typeof raw.id !== 'string' || typeof raw.version !== 'string') {
    const issue = parsed.success ? 'id and version' : parsed.error.issues.map((i) => `motif.${i.path.join('.')}: ${i.message}`).slice(0, 3).join('; ');
    throw new AppError('MODEL_INVALID', `${file} is not a motif pack the studio can use (${issue}).`);
  }
  const unsupported = unsupportedParts(parsed.data);
  if (unsupported.length > 0) throw new AppError('MODEL_INVALID', `${file} asks for what the studio's motif encoder does not do: ${unsupported.join('; ')}.`);
  return { id: raw.id, version: raw.version, dir, spec: parsed.data };
}

/** The manifest's promises the encoder cannot keep, each said plainly (an empty list when it can run the pack). */
function unsupportedParts(m: MotifSection): string[] {
  const out: string[] = [];
  for (const [key, want] of Object.entries(WORDPIECE)) {
    const got = m.tokenizer[key as keyof typeof WORDPIECE];
    if (got !== want) out.push(`motif.tokenizer.${key} is ${String(got)}, the studio's WordPiece has ${String(want)}`);
  }
  const p = m.preprocess;
  if (p.resize !== 'stretch' || p.crop || p.interpolation !== 'bicubic') {
    out.push(`motif.preprocess is ${p.resize}${p.crop ? ` + ${p.crop} crop` : ''} with ${p.interpolation}; the studio resizes motifs by bicubic stretch only`);
  }
  const text = m.graphs.text.inputs;
  for (const [role, spec] of Object.entries(text)) {
    if (!spec) continue;
    if (!(ID_TYPES as readonly string[]).includes(spec.dtype)) out.push(`motif.graphs.text.inputs.${role} is ${spec.dtype}, not int64 or int32`);
    const width = spec.shape[1];
    if (spec.shape.length !== 2 || (typeof width === 'number' && width !== m.tokenizer.contextLength)) {
      out.push(`motif.graphs.text.inputs.${role} has shape [${spec.shape.join(', ')}]; the tokenizer gives [1, ${m.tokenizer.contextLength}]`);
    }
  }
  const pixels = m.graphs.image.inputs.pixels;
  const s = m.preprocess.imageSize;
  if (pixels.dtype !== 'float32') out.push(`motif.graphs.image.inputs.pixels is ${pixels.dtype}, not float32`);
  if (pixels.shape.length !== 4 || pixels.shape.slice(1).some((d, i) => typeof d === 'number' && d !== [3, s, s][i])) {
    out.push(`motif.graphs.image.inputs.pixels has shape [${pixels.shape.join(', ')}]; preprocessing gives [1, 3, ${s}, ${s}]`);
  }
  for (const g of ['text', 'image'] as const) {
    const f = m.graphs[g].outputs.features;
    if (f.dtype !== 'float32') out.push(`motif.graphs.${g}.outputs.features is ${f.dtype}, not float32`);
    const last = f.shape.at(-1);
    if (typeof last === 'number' && last !== m.embeddingDim) out.push(`motif.graphs.${g}.outputs.features ends in ${last}, not embeddingDim ${m.embeddingDim}`);
  }
  return out;
}

/** An id-like row as the graph's dtype wants it. */
function idTensor(values: ArrayLike<number>, dtype: TensorSpec['dtype']): WireTensor {
  const dims = [1, values.length];
  return dtype === 'int32'
    ? { type: 'int32', dims, data: Int32Array.from(values) }
    : { type: 'int64', dims, data: BigInt64Array.from(Array.from(values), (v) => BigInt(v)) };
}

/** A tokenized text: the padded ids and how many of them ([CLS] through [SEP]) are real. */
export interface TokenRow {
  ids: readonly number[];
  tokens: number;
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
    this.tokenizer = readTokenizer(model);
    this.textSession = `motif:${model.id}@${model.version}:text`;
    this.imageSession = `motif:${model.id}@${model.version}:image`;
  }

  get dim(): number {
    return this.model.spec.embeddingDim;
  }

  /** The text graph's raw output (unnorm_text_features, or text_embeds of a Hugging Face pack). */
  async textFeatures(text: string, options: RequestOptions = {}): Promise<Float32Array> {
    return this.rowFeatures(this.tokenizer.encodeRow(text, this.model.spec.tokenizer.contextLength), options);
  }

  /** As textFeatures, for a row already tokenized: `tokens` leading ids are real, the rest padding. */
  async rowFeatures(row: TokenRow, options: RequestOptions = {}): Promise<Float32Array> {
    const g = this.model.spec.graphs.text;
    await this.load(this.textSession, g.file, options);
    const result = await this.worker.run(this.textSession, this.textFeeds(row), options);
    return this.features(result.outputs[g.outputs.features.name], g.outputs.features.name);
  }

  /**
   * The text graph's feeds, from the manifest's input roles alone: the official export takes the ids
   * and masks [PAD] inside the graph; a Hugging Face BERT is told by attentionMask which positions
   * are real (1 for [CLS] through [SEP], 0 for the padding) and takes tokenTypeIds (all segment 0),
   * as transformers' tokenizer with padding="max_length" gives them.
   */
  textFeeds(row: TokenRow): TensorMap {
    const inputs = this.model.spec.graphs.text.inputs;
    const { ids, tokens } = row;
    const context = this.model.spec.tokenizer.contextLength;
    if (ids.length !== context || !(tokens >= 2 && tokens <= context)) {
      throw new AppError('INVALID_INPUT', `A text row for ${this.model.id} is ${context} ids with 2 to ${context} real tokens, not ${ids.length} ids with ${tokens}.`);
    }
    const feeds: TensorMap = { [inputs.ids.name]: idTensor(ids, inputs.ids.dtype) };
    if (inputs.attentionMask) feeds[inputs.attentionMask.name] = idTensor(ids.map((_, i) => (i < tokens ? 1 : 0)), inputs.attentionMask.dtype);
    if (inputs.tokenTypeIds) feeds[inputs.tokenTypeIds.name] = idTensor(new Array<number>(ids.length).fill(0), inputs.tokenTypeIds.dtype);
    return feeds;
  }

  async encodeText(text: string, options: RequestOptions = {}): Promise<Float32Array> {
    return normalise(await this.textFeatures(text, options));
  }

  /** The image graph's raw output for a preprocessed [1, 3, S, S] tensor. */
  async imageFeatures(pixels: Float32Array, options: RequestOptions = {}): Promise<Float32Array> {
    const g = this.model.spec.graphs.image;
    await this.load(this.imageSession, g.file, options);
    const s = this.model.spec.preprocess.imageSize;
    if (pixels.length !== 3 * s * s) throw new AppError('INVALID_INPUT', `The motif pack ${this.model.id} takes 3 x ${s} x ${s} pixels, not ${pixels.length} values.`);
    const result = await this.worker.run(this.imageSession, { [g.inputs.pixels.name]: { type: 'float32', dims: [1, 3, s, s], data: pixels } }, options);
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

/** The pack's vocabulary, its special tokens where the manifest says they are. */
function readTokenizer(model: MotifModel): BertTokenizer {
  const t = model.spec.tokenizer;
  const file = path.join(model.dir, t.vocab);
  let tokenizer: BertTokenizer;
  try {
    tokenizer = new BertTokenizer(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AppError('MODEL_INVALID', `The motif pack ${model.id} has no usable vocabulary at ${file}: ${(err as Error).message}`);
  }
  const found = { pad: tokenizer.pad, unk: tokenizer.unk, cls: tokenizer.cls, sep: tokenizer.sep };
  const wrong = (Object.keys(found) as (keyof typeof found)[]).filter((k) => found[k] !== t.specialIds[k] || t.specialTokens[k] !== `[${k.toUpperCase()}]`);
  if (wrong.length > 0 || tokenizer.size !== t.vocabSize) {
    const said = wrong.map((k) => `${t.specialTokens[k]} = ${t.specialIds[k]} (the vocabulary has [${k.toUpperCase()}] = ${found[k]})`);
    if (tokenizer.size !== t.vocabSize) said.push(`vocabSize ${t.vocabSize} (the vocabulary has ${tokenizer.size})`);
    throw new AppError('MODEL_INVALID', `The motif pack ${model.id}'s manifest does not match ${t.vocab}: ${said.join('; ')}.`);
  }
  return tokenizer;
}
