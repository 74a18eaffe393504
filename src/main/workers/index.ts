import type { Db } from '../services/library';
import { InferenceWorker } from './inference-client';
import type { WorkerLauncher } from './port';
import { ensureProviderChoice, providersFor } from './provider-choice';

export { InferenceWorker, describeRequest, type InferenceWorkerOptions, type RequestOptions, type RunOptions, type TaskOptions } from './inference-client';
export type { AnyTaskHandler, TaskContext, TaskHandler } from './task';
export { forkLauncher, WORKER_ENTRY_TS, type WorkerExit, type WorkerLauncher, type WorkerPort } from './port';
export {
  PROBE_MODEL_PATH,
  PROBE_ORDER,
  onnxruntimeVersion,
  probeProviders,
  type ProbeOptions,
  type ProbeReport,
  type ProviderReport,
} from './providers';
export { PROVIDERS_SETTING, ensureProviderChoice, isStale, providersFor, readProviderChoice, saveProviderChoice } from './provider-choice';
export type {
  ModelSource,
  PingResult,
  ProviderName,
  RunResult,
  SessionInfo,
  SessionLoadOptions,
  TaskKind,
  TaskOutcome,
  TensorMap,
  TensorType,
  WireTensor,
  WorkerMessage,
} from './protocol';
export { defineTask } from './protocol';

/**
 * The studio's inference worker: sessions use the library's stored provider choice, probing (in a
 * throwaway process) the first time something is loaded.
 */
export function createStudioInference(options: { db: Db; launch: WorkerLauncher; probeModelPath?: string }): InferenceWorker {
  const { db, launch, probeModelPath } = options;
  return new InferenceWorker({
    launch,
    providers: async () => {
      const { report } = await ensureProviderChoice(db, { launch, ...(probeModelPath ? { modelPath: probeModelPath } : {}) });
      return providersFor(report);
    },
  });
}
