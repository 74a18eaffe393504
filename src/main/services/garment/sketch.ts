import { AppError } from '../../../shared/contract/errors';
import type { GarmentManifest, TensorSpec } from '../../../shared/packs/manifest';
import type { SessionInfo, WireTensor } from '../../workers/protocol';
import type { GarmentGraphs, GraphKey } from './graphs';
import { batch, fromWire, wire, type F32 } from './tensor';

type Garment = GarmentManifest['garment'];
type VariantKey = keyof Garment['defaults']['variants'];

/** The sketch route's per-row feeds for one UNet call: the same features on every row, a scale per row. */
export interface SketchFeeds {
  sketchFeatures: WireTensor;
  sketchScale: WireTensor;
}

/**
 * The sketch route of a pack with a `sketchEncoder` (PACKS.md "The sketch route"): the encoder runs
 * once per render on the flat's line art (the image a ControlNet would take, preprocess.control), before
 * the loop, so a staged pack releases it with the other encoders. Every UNet call then takes the
 * features on each row and a scale per row: the variant's on positive rows, 0 on negative ones (the
 * unconditional row drops the sketch, as training does).
 */
export class SketchRoute {
  private constructor(
    private readonly features: F32,
    private readonly scales: Record<VariantKey, number>,
  ) {}

  /**
   * The route for one render: null for a pack without a sketch encoder (which refuses a sketch scale).
   * Each variant's scale is the request's, else `defaults.variants.<variant>.sketchScale`, else 1.
   */
  static async forRender(graphs: GarmentGraphs, lineArt: F32 | undefined, requested: Partial<Record<VariantKey, number>> | undefined, latentShape: number[]): Promise<SketchRoute | null> {
    const g = graphs.garment;
    if (!g.graphs.sketchEncoder) {
      if (requested && Object.values(requested).some((v) => v !== undefined)) {
        throw new AppError('INVALID_INPUT', `The pack "${graphs.id}" has no sketch encoder, so a sketch scale does not apply.`);
      }
      return null;
    }
    const scales = { imageBiased: 1, textBiased: 1 };
    for (const name of ['imageBiased', 'textBiased'] as const) {
      const chosen = requested?.[name] ?? g.defaults.variants[name].sketchScale ?? 1;
      if (!(chosen >= 0 && chosen <= 2)) throw new AppError('INVALID_INPUT', `The sketch scale must be between 0 and 2, got ${chosen}.`);
      scales[name] = chosen;
    }
    if (!lineArt) throw new AppError('INVALID_INPUT', `The pack "${graphs.id}" has a sketch encoder; the render needs the flat as line art.`);
    const want = [1, 3, g.defaults.height, g.defaults.width];
    if (lineArt.dims.join() !== want.join()) {
      throw new AppError('INVALID_INPUT', `The line art is [${lineArt.dims.join(',')}]; this pack's sketch encoder takes [${want.join(',')}].`);
    }
    const features = fromWire((await graphs.run('sketchEncoder', { lineArt: wire(lineArt) })).outputs['sketchFeatures']!, 'sketch features');
    const [, , h, w] = latentShape;
    if (features.dims.length !== 4 || features.dims[0] !== 1 || features.dims[2] !== h || features.dims[3] !== w) {
      throw new AppError('MODEL_INVALID', `The sketch encoder gave features [${features.dims.join(',')}]; the UNet's latents are ${h}x${w}.`);
    }
    return new SketchRoute(features, scales);
  }

  /** The scale a variant's positive rows run at. */
  scale(variant: VariantKey): number {
    return this.scales[variant];
  }

  /** The feeds for a group of rows, made once per render (they do not change from step to step). */
  feeds(rowScales: readonly number[]): SketchFeeds {
    return {
      sketchFeatures: wire(batch(rowScales.map(() => this.features))),
      sketchScale: { type: 'float32', dims: [rowScales.length], data: Float32Array.from(rowScales) },
    };
  }
}

/**
 * Beyond each graph's own signature: the sketch encoder's features must fit the UNet's sketchFeatures
 * input (same rank and channel count), else the first step would fail deep in onnxruntime.
 */
export function checkSketchFeatures(garment: Garment, sessions: Partial<Record<GraphKey, Pick<SessionInfo, 'inputs' | 'outputs'>>>): string[] {
  const encoder = garment.graphs.sketchEncoder;
  const into = garment.graphs.unet.inputs.sketchFeatures as TensorSpec | undefined;
  if (!encoder || !into || !sessions.sketchEncoder || !sessions.unet) return [];
  const given = sessions.sketchEncoder.outputs.find((v) => v.name === encoder.outputs.sketchFeatures.name)?.shape;
  const taken = sessions.unet.inputs.find((v) => v.name === into.name)?.shape;
  if (!given || !taken) return [];
  const channels = (s: (number | string)[]) => (typeof s[1] === 'number' && s[1] > 0 ? s[1] : null);
  if (given.length !== taken.length || (channels(given) !== null && channels(taken) !== null && channels(given) !== channels(taken))) {
    return [`${encoder.file}: output '${encoder.outputs.sketchFeatures.name}' [${given.join(',')}] does not fit ${garment.graphs.unet.file}: input '${into.name}' [${taken.join(',')}] (sketchFeatures)`];
  }
  return [];
}
