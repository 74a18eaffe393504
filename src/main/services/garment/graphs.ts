import { AppError } from '../../../shared/contract/errors';
import type { GarmentManifest, TensorSpec } from '../../../shared/packs/manifest';
import type { RunResult, SessionInfo, WireTensor } from '../../workers/protocol';
import { hasDynamicBatch } from './signature';

export type GraphKey = keyof GarmentManifest['garment']['graphs'];
export type GraphSpec = { file: string; inputs: Record<string, TensorSpec | undefined>; outputs: Record<string, TensorSpec | undefined> };

export interface GraphRun {
  outputs: Record<string, WireTensor>;
  /** onnxruntime's own time for the run, as the worker measured it. */
  runMs: number;
}

/**
 * A garment pack's graphs as the pipeline sees them: fed and read by *role* (the manifest's names
 * for what the studio gives and takes). The worker runs them in-process (worker-task.ts); the main
 * side's LoadedGarmentPack runs single graphs over IPC (pack checks, parity tests).
 */
export interface GarmentGraphs {
  readonly id: string;
  readonly garment: GarmentManifest['garment'];
  readonly schedulerConfig: Record<string, unknown>;
  /** The loaded session's signature for a graph; null when the pack has no such graph. */
  signature(key: GraphKey): Pick<SessionInfo, 'inputs'> | null;
  run(key: GraphKey, feeds: Record<string, WireTensor>): Promise<GraphRun>;
}

/** Whether a graph takes any batch size (else both variants run one after the other). */
export function dynamicBatch(graphs: GarmentGraphs, key: GraphKey, role: string): boolean {
  const spec = (graphs.garment.graphs[key] as GraphSpec | undefined)?.inputs[role];
  const session = graphs.signature(key);
  return Boolean(spec && session && hasDynamicBatch(session, spec.name));
}

/** The fixed first dimension of a graph input, or null when it is open. */
export function fixedBatch(graphs: GarmentGraphs, key: GraphKey, role: string): number | null {
  const spec = (graphs.garment.graphs[key] as GraphSpec | undefined)?.inputs[role];
  const first = graphs.signature(key)?.inputs.find((v) => v.name === spec?.name)?.shape?.[0];
  return typeof first === 'number' && first > 0 ? first : null;
}

/**
 * One graph run by role: the roles' feeds renamed to the file's tensor names, the outputs read back
 * under their roles. `runner` runs the session (in the worker, or through InferenceWorker.run).
 */
export async function runByRole(
  packId: string,
  garment: GarmentManifest['garment'],
  key: GraphKey,
  feeds: Record<string, WireTensor>,
  runner: (named: Record<string, WireTensor>, outputNames: string[]) => Promise<RunResult>,
): Promise<GraphRun> {
  const spec = garment.graphs[key] as GraphSpec | undefined;
  if (!spec) throw new AppError('MODEL_INVALID', `The pack "${packId}" has no ${key} graph.`);
  const named: Record<string, WireTensor> = {};
  for (const [role, tensor] of Object.entries(feeds)) {
    const input = spec.inputs[role];
    if (!input) throw new AppError('INTERNAL', `${spec.file} has no input role "${role}"`);
    named[input.name] = tensor;
  }
  const roles = Object.entries(spec.outputs).filter((e): e is [string, TensorSpec] => e[1] !== undefined);
  const result = await runner(named, roles.map(([, t]) => t.name));
  const outputs: Record<string, WireTensor> = {};
  for (const [role, t] of roles) {
    const out = result.outputs[t.name];
    if (!out) throw new AppError('MODEL_INVALID', `${spec.file} gave no output '${t.name}'.`);
    outputs[role] = out;
  }
  return { outputs, runMs: result.runMs };
}
