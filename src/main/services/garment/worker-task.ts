import { AppError } from '../../../shared/contract/errors';
import type { WireTensor } from '../../workers/protocol';
import type { TaskContext, TaskHandler } from '../../workers/task';
import { runByRole, type GarmentGraphs, type GraphKey, type GraphRun } from './graphs';
import { GarmentPipeline, type GarmentRun } from './pipeline';
import { GARMENT_TASK, type GarmentPackRef, type GarmentProgress, type GarmentTaskParams, type StagedGraphs } from './task';

/**
 * The stages of a render, in the order the pipeline reaches them. A staged pack holds one stage's
 * sessions at a time: the fp32 weights of a real SD 1.5 pack's UNet, ControlNet, ViT-H and text
 * encoder are ~7.9 GB together, more than a 16 GB laptop can spare beside the activations. The
 * encoders run once per render, so they go before the loop; the VAE decoder loads after the loop's
 * sessions are released, since keeping it through the loop would save no load (every render loads
 * every stage again) and only add its weights to the loop's peak.
 */
const STAGE_OF: Record<GraphKey, 'encode' | 'denoise' | 'decode'> = {
  textEncoder: 'encode',
  imageEncoder: 'encode',
  imageProjection: 'encode',
  fabricFusion: 'encode',
  vaeEncoder: 'encode',
  // The sketch route's encoder runs once per render on the line art, before the loop, like the others.
  sketchEncoder: 'encode',
  controlnet: 'denoise',
  unet: 'denoise',
  vaeDecoder: 'decode',
};

/**
 * The garment pipeline's side of the inference worker: the pack's graphs run as sessions in this
 * very process. This file (and what it imports) is all of the garment engine the worker loads.
 */
class WorkerGraphs implements GarmentGraphs {
  /** The task now running; set before each generate. */
  context: TaskContext<GarmentProgress> | null = null;
  /** A staged pack's graphs whose sessions this task loaded and has not released yet. */
  private readonly loaded = new Set<GraphKey>();

  constructor(private readonly ref: GarmentPackRef) {}

  get id(): string {
    return this.ref.id;
  }

  get garment(): GarmentPackRef['garment'] {
    return this.ref.garment;
  }

  get schedulerConfig(): Record<string, unknown> {
    return this.ref.schedulerConfig;
  }

  signature(key: GraphKey): ReturnType<GarmentGraphs['signature']> {
    if (this.ref.staged) return this.ref.staged.signatures[key] ?? null;
    const id = this.ref.sessionIds[key];
    return id && this.context ? this.context.session(id) : null;
  }

  async run(key: GraphKey, feeds: Record<string, WireTensor>): Promise<GraphRun> {
    const context = this.context;
    if (this.ref.staged && context) await this.enterStage(key, this.ref.staged, context);
    const id = this.ref.staged ? this.stagedId(key) : this.ref.sessionIds[key];
    return runByRole(this.ref.id, this.ref.garment, key, feeds, (named, outputNames) => {
      if (!id || !context) throw new AppError('MODEL_INVALID', `The pack "${this.ref.id}" has no session for its ${key} graph.`);
      return context.run(id, named, outputNames);
    });
  }

  private stagedId(key: GraphKey): string {
    return `garment-staged:${this.ref.id}:${key}`;
  }

  /** Loads the graph's session, first releasing every session of the other stages. */
  private async enterStage(key: GraphKey, staged: StagedGraphs, context: TaskContext<GarmentProgress>): Promise<void> {
    if (this.loaded.has(key)) return;
    const file = staged.files[key];
    if (!file) throw new AppError('MODEL_INVALID', `The pack "${this.ref.id}" has no ${key} graph.`);
    for (const other of [...this.loaded]) {
      if (STAGE_OF[other] === STAGE_OF[key]) continue;
      await context.release(this.stagedId(other));
      this.loaded.delete(other);
    }
    await context.load(this.stagedId(key), { path: file }, staged.options);
    this.loaded.add(key);
  }

  /** At the end of a render (done, failed or cancelled): a staged pack keeps nothing loaded. */
  async releaseStaged(): Promise<void> {
    const context = this.context;
    if (!context) return;
    for (const key of [...this.loaded]) {
      await context.release(this.stagedId(key));
      this.loaded.delete(key);
    }
  }
}

/**
 * One pipeline kept between runs, for its caches (encoded prompts, the negative image condition);
 * a new one whenever the sessions were loaded again, since the caches came from the old ones. A
 * staged pack loads its sessions on every render from the same checked files, so its caches hold.
 */
let kept: { stamp: string; graphs: WorkerGraphs; pipeline: GarmentPipeline } | null = null;

async function run(params: GarmentTaskParams, context: TaskContext<GarmentProgress>): Promise<GarmentRun> {
  // A staged pack lists no sessions for the task, so its stamp is the ref alone.
  const stamp = `${context.sessionsStamp}|${params.packJson}`;
  if (kept?.stamp !== stamp) {
    kept = null;
    const graphs = new WorkerGraphs(JSON.parse(params.packJson) as GarmentPackRef);
    kept = { stamp, graphs, pipeline: new GarmentPipeline(graphs) };
  }
  const { graphs, pipeline } = kept;
  graphs.context = context;
  try {
    return await pipeline.generate(params.request, {
      onStep: (step, total) => context.progress({ step, total }),
      throwIfCancelled: () => context.throwIfCancelled(),
    });
  } finally {
    await graphs.releaseStaged();
    graphs.context = null;
  }
}

export const GARMENT_WORKER_TASK: TaskHandler<GarmentTaskParams, GarmentProgress, GarmentRun> = { kind: GARMENT_TASK, run };
