import type { AppErrorData } from '../../shared/contract/errors';

/**
 * The messages between the main process and the inference worker. Both ends are our own code in
 * processes we start, so plain TS types describe them; the worker still checks what it is sent
 * (feed names, shapes, data lengths) because those come from callers far away.
 *
 * Messages cross the process boundary by V8 structured serialization (fork with
 * `serialization: 'advanced'`, Electron's utilityProcess), so typed arrays and bigints arrive intact.
 */

export const TENSOR_TYPES = [
  'float32',
  'float64',
  'float16',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'bool',
  'string',
] as const;
export type TensorType = (typeof TENSOR_TYPES)[number];

export interface TensorDataByType {
  float32: Float32Array;
  float64: Float64Array;
  /** IEEE half floats as raw bits, the way onnxruntime-node takes them. */
  float16: Uint16Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  bool: Uint8Array;
  string: string[];
}

/** A tensor as it travels: element type, shape and the flat data in row-major order. */
export type WireTensor = {
  [T in TensorType]: { type: T; dims: number[]; data: TensorDataByType[T] };
}[TensorType];

export type TensorMap = Record<string, WireTensor>;

/** The execution providers Jinxiu knows, in onnxruntime-node's own names. */
export const PROVIDER_NAMES = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface SessionLoadOptions {
  /** Providers to try, best first; the worker falls back to CPU when none of them works. */
  executionProviders?: ProviderName[];
  /** Threads for one operator; 0 lets onnxruntime decide. */
  intraOpNumThreads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /**
   * Let onnxruntime's thread pool spin between runs. Off by default: every run here is followed by
   * an IPC round trip, and spinning threads would steal the cores that round trip needs (measured on
   * two cores: 7.65 ms per call with spinning, 0.26 ms without).
   */
  allowSpinning?: boolean;
  /**
   * onnxruntime's CPU memory arena (on by default). Turn it off for multi-GB graphs: the arena keeps
   * every chunk it ever grew to and rounds requests up, so a 4-row UNet pass held 23 GB with it and
   * 7.3 GB without; without it activations go back to the system after each run.
   */
  cpuMemArena?: boolean;
}

export type ModelSource = { path: string } | { bytes: Uint8Array };

export interface ValueInfo {
  name: string;
  /** Missing for non-tensor values (sequences, maps). */
  type?: string;
  /** Numbers for fixed dimensions, names for symbolic ones. */
  shape?: (number | string)[];
}

export interface SessionInfo {
  sessionId: string;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  /** The provider the session was created with. */
  provider: ProviderName;
  /** Set when the requested providers failed and the session fell back to CPU. */
  fallbackReason?: string;
  loadMs: number;
}

export interface RunResult {
  outputs: TensorMap;
  runMs: number;
}

export interface PingResult {
  pid: number;
  at: number;
  sessions: string[];
}

export interface ProviderTrial {
  provider: ProviderName;
  ok: boolean;
  /** Why it failed, in onnxruntime's words where it gave any. */
  reason?: string;
  ms: number;
}

/**
 * A whole pipeline the worker runs in one request (a diffusion loop, say), so its many session runs
 * pay no IPC round trip each. `P` goes in, `G` comes back as progress while it runs, `R` at the end;
 * all three must survive structured cloning. The value is only a name: the types ride along so
 * InferenceWorker.runTask and the worker's handler agree on them.
 */
export interface TaskKind<P, G, R> {
  readonly task: string;
  /** Never set; carries the types. */
  readonly types?: { params: P; progress: G; result: R };
}

export function defineTask<P, G, R>(task: string): TaskKind<P, G, R> {
  return { task };
}

/** What a task answers: its own result and the worker's timings for it. */
export interface TaskOutcome<R> {
  result: R;
  /** The sum of raw session.run times inside the task, as onnxruntime returned them. */
  runMs: number;
  /** How many session runs the task made. */
  runs: number;
  /** The task's whole time in the worker, from receiving it to answering. */
  taskMs: number;
  /** Time spent creating the sessions the task loaded itself (staged loading); 0 when none. */
  loadMs?: number;
}

/** The requests the worker answers. */
export type WorkerCall =
  | { id: number; kind: 'load'; sessionId: string; model: ModelSource; options: SessionLoadOptions }
  | { id: number; kind: 'run'; sessionId: string; feeds: TensorMap; outputNames?: string[] }
  | { id: number; kind: 'release'; sessionId: string }
  | { id: number; kind: 'ping' }
  /** Try one provider on the probe model: create a session with only that provider and run it once. */
  | { id: number; kind: 'probe'; provider: ProviderName; modelPath: string }
  /** Run a named task (see TaskKind) over sessions already loaded in this worker. */
  | { id: number; kind: 'task'; task: string; sessions: string[]; params: unknown };

/**
 * Stop the task sent as request `target` at its next check (between steps). Not answered itself: the
 * task answers JOB_CANCELLED. It overtakes the queue, since the task it stops is what holds the queue.
 */
export interface CancelRequest {
  id: number;
  kind: 'cancel';
  target: number;
}

export type WorkerRequest = WorkerCall | CancelRequest;

export interface WorkerAnswers {
  load: SessionInfo;
  run: RunResult;
  release: { released: boolean };
  ping: PingResult;
  probe: ProviderTrial;
  task: TaskOutcome<unknown>;
}

export type RequestKind = WorkerCall['kind'];

export interface WorkerVersions {
  onnxruntime: string;
  node: string;
  electron: string | null;
}

export type WorkerMessage =
  | { kind: 'ready'; pid: number; versions: WorkerVersions }
  /** A running task's progress, for request `id`. */
  | { kind: 'progress'; id: number; progress: unknown }
  | { kind: 'answer'; id: number; ok: true; value: WorkerAnswers[RequestKind] }
  | { kind: 'answer'; id: number; ok: false; error: AppErrorData };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'ready' || ((kind === 'answer' || kind === 'progress') && typeof (value as { id?: unknown }).id === 'number');
}

export function isWorkerRequest(value: unknown): value is WorkerRequest {
  if (typeof value !== 'object' || value === null) return false;
  const { id, kind } = value as { id?: unknown; kind?: unknown };
  return typeof id === 'number' && ['load', 'run', 'release', 'ping', 'probe', 'task', 'cancel'].includes(kind as string);
}

/** The ArrayBuffers behind a tensor map, for transports that can move them instead of copying. */
export function transferablesOf(tensors: TensorMap): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const t of Object.values(tensors)) {
    if (!Array.isArray(t.data) && t.data.buffer instanceof ArrayBuffer) buffers.add(t.data.buffer);
  }
  return [...buffers];
}

/**
 * V8 serialization writes a typed array's whole backing buffer, so a small view on a big buffer
 * would ship the big buffer; such views are copied down to their own bytes first.
 */
export function compactTensor(t: WireTensor): WireTensor {
  if (Array.isArray(t.data)) return t;
  const d = t.data;
  if (d.byteOffset === 0 && d.byteLength === d.buffer.byteLength) return t;
  return { ...t, data: d.slice() } as WireTensor;
}
