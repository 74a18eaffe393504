import { AppError } from '../../../shared/contract/errors';
import type { GarmentManifest, TensorSpec } from '../../../shared/packs/manifest';
import type { SessionInfo, WireTensor } from '../../workers/protocol';
import type { GarmentGraphs, GraphKey } from './graphs';
import type { Rgb8 } from './png';
import { batch, type F32 } from './tensor';

type Garment = GarmentManifest['garment'];
export type ControlPreprocess = NonNullable<Garment['preprocess']['control']>;

const f32 = Math.fround;

/**
 * uint8 RGB line art at the output size -> the ControlNet's conditioning image, [1, 3, H, W] in [0, 1]:
 * x rescale, then 1 - x when `invert` (a flat's dark lines on white become white lines on black), in
 * float32 op by op as the reference (preprocess_control in tools/models/garment/pipeline.py) does.
 */
export function controlImage(image: Rgb8, spec: ControlPreprocess, width: number, height: number): F32 {
  if (image.width !== width || image.height !== height) {
    throw new AppError('INVALID_INPUT', `The line art is ${image.width}x${image.height}; this pack's ControlNet takes ${width}x${height}.`);
  }
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  const rescale = f32(spec.rescale);
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < plane; p++) {
      const x = f32(image.data[p * 3 + c]! * rescale);
      out[c * plane + p] = spec.invert ? f32(1 - x) : x;
    }
  }
  return { dims: [1, 3, height, width], data: out };
}

/**
 * Whether a render needs the flat's line art (preprocess.control): for a ControlNet, or for the sketch
 * route's encoder, which takes the very same image.
 */
export function takesLineArt(garment: Garment): boolean {
  return Boolean(garment.graphs.controlnet || garment.graphs.sketchEncoder);
}

/** The ControlNet's feeds for a group of rows, made once per render; the timestep is refilled every step. */
export interface ControlFeeds {
  rows: number;
  timestep: WireTensor;
  controlImage: WireTensor;
  controlScale: WireTensor;
}

/** The UNet's inputs for one step that do not come from the ControlNet. */
export interface ControlStep {
  sample: WireTensor;
  textEmbeds: WireTensor;
  t: number;
}

/**
 * A line-art ControlNet the diffusers way (StableDiffusionControlNetPipeline): each step the
 * ControlNet sees the same batch as the UNet (both guidance halves of every variant, each with the
 * conditioning image) and its down and mid residuals, already multiplied by the conditioning scale
 * inside the graph, go into the UNet under the roles the manifest pairs them by.
 */
export class LineArtControl {
  /** With scale 0 every residual is zero whatever the step: computed once per group size, then reused. */
  private readonly zeros = new Map<number, Record<string, WireTensor>>();

  private constructor(
    private readonly graphs: GarmentGraphs,
    private readonly image: F32,
    readonly scale: number,
  ) {}

  /**
   * The control for one render: null for a pack without a ControlNet. The scale is the request's or
   * the manifest's `defaults.controlScale` (1 when it names none, as in diffusers).
   */
  static forRender(graphs: GarmentGraphs, image: F32 | undefined, scale: number | undefined): LineArtControl | null {
    const g = graphs.garment;
    if (!g.graphs.controlnet) {
      if (scale !== undefined) throw new AppError('INVALID_INPUT', `The pack "${graphs.id}" has no ControlNet, so a control scale does not apply.`);
      return null;
    }
    const chosen = scale ?? g.defaults.controlScale ?? 1;
    if (!(chosen >= 0 && chosen <= 2)) throw new AppError('INVALID_INPUT', `The control scale must be between 0 and 2, got ${chosen}.`);
    if (!image) throw new AppError('INVALID_INPUT', `The pack "${graphs.id}" has a line-art ControlNet; the render needs the flat as line art.`);
    const want = [1, 3, g.defaults.height, g.defaults.width];
    if (image.dims.join() !== want.join()) {
      throw new AppError('INVALID_INPUT', `The control image is [${image.dims.join(',')}]; this pack's ControlNet takes [${want.join(',')}].`);
    }
    return new LineArtControl(graphs, image, chosen);
  }

  feeds(rows: number): ControlFeeds {
    const timestepType = this.graphs.garment.graphs.controlnet!.inputs.timestep.dtype;
    return {
      rows,
      timestep: timestepType === 'int64' ? { type: 'int64', dims: [rows], data: new BigInt64Array(rows) } : { type: 'float32', dims: [rows], data: new Float32Array(rows) },
      controlImage: { type: 'float32', dims: [rows, ...this.image.dims.slice(1)], data: batch(Array.from({ length: rows }, () => this.image)).data },
      controlScale: { type: 'float32', dims: [rows], data: new Float32Array(rows).fill(this.scale) },
    };
  }

  /** The residuals for one UNet call, keyed by the UNet's roles (controlDown0.., controlMid). */
  async residuals(step: ControlStep, feeds: ControlFeeds): Promise<Record<string, WireTensor>> {
    const cached = this.zeros.get(feeds.rows);
    if (cached) return cached;
    const n = feeds.rows;
    const timestep = feeds.timestep;
    if (timestep.type === 'int64') timestep.data.fill(BigInt(Math.round(step.t)));
    else if (timestep.type === 'float32') timestep.data.fill(step.t);
    const { outputs } = await this.graphs.run('controlnet', {
      sample: step.sample,
      timestep,
      textEmbeds: step.textEmbeds,
      controlImage: feeds.controlImage,
      controlScale: feeds.controlScale,
    });
    if (this.scale === 0) this.zeros.set(n, outputs);
    return outputs;
  }
}

/**
 * Beyond each graph's own signature: every residual the ControlNet gives must fit the UNet input it
 * is paired with (same rank and channel count), else the first step would fail deep in onnxruntime.
 */
export function checkControlResiduals(garment: Garment, sessions: Partial<Record<GraphKey, Pick<SessionInfo, 'inputs' | 'outputs'>>>): string[] {
  const controlnet = garment.graphs.controlnet;
  const cn = sessions.controlnet;
  const unet = sessions.unet;
  if (!controlnet || !cn || !unet) return [];
  const problems: string[] = [];
  const unetInputs = garment.graphs.unet.inputs as Record<string, TensorSpec | undefined>;
  for (const [role, out] of Object.entries(controlnet.outputs) as [string, TensorSpec | undefined][]) {
    const into = unetInputs[role];
    if (!out || !into) continue;
    const given = cn.outputs.find((v) => v.name === out.name)?.shape;
    const taken = unet.inputs.find((v) => v.name === into.name)?.shape;
    if (!given || !taken) continue;
    const channels = (s: (number | string)[]) => (typeof s[1] === 'number' && s[1] > 0 ? s[1] : null);
    if (given.length !== taken.length || (channels(given) !== null && channels(taken) !== null && channels(given) !== channels(taken))) {
      problems.push(
        `${controlnet.file}: output '${out.name}' [${given.join(',')}] does not fit ${garment.graphs.unet.file}: input '${into.name}' [${taken.join(',')}] (${role})`,
      );
    }
  }
  return problems;
}
