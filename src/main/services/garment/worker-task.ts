import { AppError } from '../../../shared/contract/errors';
import type { WireTensor } from '../../workers/protocol';
import type { TaskContext, TaskHandler } from '../../workers/task';
import { runByRole, type GarmentGraphs, type GraphKey, type GraphRun } from './graphs';
import { GarmentPipeline, type GarmentRun } from './pipeline';
import { GARMENT_TASK, type GarmentPackRef, type GarmentProgress, type GarmentTaskParams } from './task';

/**
 * The garment pipeline's side of the inference worker: the pack's graphs run as sessions in this
 * very process. This file (and what it imports) is all of the garment engine the worker loads.
 */
class WorkerGraphs implements GarmentGraphs {
  /** The task now running; set before each generate. */
  context: TaskContext<GarmentProgress> | null = null;

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
    const id = this.ref.sessionIds[key];
    return id && this.context ? this.context.session(id) : null;
  }

  run(key: GraphKey, feeds: Record<string, WireTensor>): Promise<GraphRun> {
    const id = this.ref.sessionIds[key];
    const context = this.context;
    return runByRole(this.ref.id, this.ref.garment, key, feeds, (named, outputNames) => {
      if (!id || !context) throw new AppError('MODEL_INVALID', `The pack "${this.ref.id}" has no session for its ${key} graph.`);
      return context.run(id, named, outputNames);
    });
  }
}

/**
 * One pipeline kept between runs, for its caches (encoded prompts, the negative image condition);
 * a new one whenever the sessions were loaded again, since the caches came from the old ones.
 */
let kept: { stamp: string; graphs: WorkerGraphs; pipeline: GarmentPipeline } | null = null;

async function run(params: GarmentTaskParams, context: TaskContext<GarmentProgress>): Promise<GarmentRun> {
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
    graphs.context = null;
  }
}

export const GARMENT_WORKER_TASK: TaskHandler<GarmentTaskParams, GarmentProgress, GarmentRun> = { kind: GARMENT_TASK, run };
