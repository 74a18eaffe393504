import ort from 'onnxruntime-node';
import { AppError } from '../../shared/contract/errors';
import {
  compactTensor,
  type ModelSource,
  type PingResult,
  type ProviderName,
  type ProviderTrial,
  type RunResult,
  type SessionInfo,
  type SessionLoadOptions,
  type TaskOutcome,
  type TensorMap,
  type ValueInfo,
  type WireTensor,
  type WorkerAnswers,
  type WorkerCall,
} from './protocol';
import type { AnyTaskHandler, TaskContext } from './task';

/** Sends a running task's progress back to the main process. */
export type ProgressSink = (requestId: number, progress: unknown) => void;

/**
 * What the worker process does with each request. It owns the onnxruntime sessions; nothing else in
 * the app creates or runs one. Kept apart from the process plumbing (inference-worker.ts) so the
 * plumbing stays a few lines for both Node and Electron.
 */
export class WorkerRuntime {
  private readonly sessions = new Map<string, ort.InferenceSession>();
  private readonly infos = new Map<string, SessionInfo>();
  /** Which load made each session, so tasks can key caches on it. */
  private readonly loadSerials = new Map<string, number>();
  private loads = 0;
  private readonly tasks = new Map<string, AnyTaskHandler>();
  /** Request ids of the tasks running now, with whether a cancel came for them. */
  private readonly running = new Map<number, { cancelled: boolean }>();

  constructor(tasks: readonly AnyTaskHandler[] = []) {
    for (const t of tasks) this.tasks.set(t.kind.task, t);
  }

  async handle(request: WorkerCall, progress: ProgressSink = () => undefined): Promise<WorkerAnswers[WorkerCall['kind']]> {
    switch (request.kind) {
      case 'task':
        return this.runTask(request.id, request.task, request.sessions, request.params, progress);
      case 'load':
        return this.load(request.sessionId, request.model, request.options);
      case 'run':
        return this.run(request.sessionId, request.feeds, request.outputNames);
      case 'release':
        return this.release(request.sessionId);
      case 'ping':
        return this.ping();
      case 'probe':
        return probeProvider(request.provider, request.modelPath);
    }
  }

  private async load(sessionId: string, model: ModelSource, options: SessionLoadOptions): Promise<SessionInfo> {
    const started = performance.now();
    await this.release(sessionId);
    const wanted = (options.executionProviders ?? ['cpu']).filter((p, i, all) => all.indexOf(p) === i);
    const failures: string[] = [];
    for (const provider of wanted.includes('cpu') ? wanted : [...wanted, 'cpu' as const]) {
      try {
        const session = await createSession(model, provider, options);
        this.sessions.set(sessionId, session);
        const info: SessionInfo = {
          sessionId,
          inputs: describe(session.inputNames, session.inputMetadata),
          outputs: describe(session.outputNames, session.outputMetadata),
          provider,
          ...(failures.length > 0 ? { fallbackReason: failures.join('; ') } : {}),
          loadMs: performance.now() - started,
        };
        this.infos.set(sessionId, info);
        this.loadSerials.set(sessionId, ++this.loads);
        return info;
      } catch (err) {
        const message = errorMessage(err);
        // A model that CPU cannot load is broken whatever the provider; report that, not the EP list.
        if (provider === 'cpu') {
          const where = 'path' in model ? model.path : `${model.bytes.byteLength} bytes`;
          throw new AppError('MODEL_INVALID', `onnxruntime cannot load the model ${where}: ${message}`, { failures });
        }
        failures.push(`${provider}: ${firstLine(message)}`);
      }
    }
    throw new AppError('INTERNAL', 'No execution provider was tried.');
  }

  private async run(sessionId: string, feeds: TensorMap, outputNames?: string[]): Promise<RunResult> {
    const session = this.session(sessionId);
    const inputs = checkFeeds(sessionId, session, feeds);
    if (outputNames) {
      const unknown = outputNames.filter((n) => !session.outputNames.includes(n));
      if (unknown.length > 0) {
        throw new AppError('INVALID_INPUT', `Session "${sessionId}" has no output ${unknown.map((n) => `"${n}"`).join(', ')}; its outputs are ${session.outputNames.join(', ')}.`);
      }
    }
    const started = performance.now();
    let results: ort.InferenceSession.ReturnType;
    try {
      results = outputNames ? await session.run(inputs, outputNames) : await session.run(inputs);
    } catch (err) {
      const message = errorMessage(err);
      if (/bad_alloc|out of memory|failed to allocate/i.test(message)) {
        throw new AppError('OUT_OF_MEMORY', `Session "${sessionId}" ran out of memory: ${firstLine(message)}`);
      }
      throw new AppError('INVALID_INPUT', `Session "${sessionId}" could not run: ${firstLine(message)}`);
    }
    const runMs = performance.now() - started;
    const outputs: TensorMap = {};
    for (const [name, value] of Object.entries(results)) outputs[name] = toWire(value);
    return { outputs, runMs };
  }

  private async release(sessionId: string): Promise<{ released: boolean }> {
    const session = this.sessions.get(sessionId);
    if (!session) return { released: false };
    this.sessions.delete(sessionId);
    this.infos.delete(sessionId);
    this.loadSerials.delete(sessionId);
    await session.release();
    return { released: true };
  }

  /** Marks a running task cancelled; it stops at its next check. Unknown ids (already done) are ignored. */
  cancel(requestId: number): void {
    const run = this.running.get(requestId);
    if (run) run.cancelled = true;
  }

  private async runTask(requestId: number, name: string, sessionIds: string[], params: unknown, progress: ProgressSink): Promise<TaskOutcome<unknown>> {
    const handler = this.tasks.get(name);
    if (!handler) throw new AppError('NOT_FOUND', `The inference worker has no task "${name}"; it knows ${[...this.tasks.keys()].join(', ') || 'none'}.`);
    for (const id of sessionIds) this.session(id);
    const started = performance.now();
    const state = { cancelled: false };
    let runMs = 0;
    let runs = 0;
    let loadMs = 0;
    const context: TaskContext<unknown> = {
      session: (sessionId) => {
        this.session(sessionId);
        return this.infos.get(sessionId)!;
      },
      load: async (sessionId, model, options) => {
        const started = performance.now();
        try {
          return await this.load(sessionId, model, options);
        } finally {
          loadMs += performance.now() - started;
        }
      },
      release: async (sessionId) => {
        await this.release(sessionId);
      },
      run: async (sessionId, feeds, outputNames) => {
        const result = await this.run(sessionId, feeds, outputNames);
        runMs += result.runMs;
        runs += 1;
        return result;
      },
      progress: (value) => progress(requestId, value),
      throwIfCancelled: () => {
        if (state.cancelled) throw new AppError('JOB_CANCELLED', `The task "${name}" was cancelled.`);
      },
      sessionsStamp: sessionIds.map((id) => `${id}#${this.loadSerials.get(id) ?? 0}`).join('|'),
    };
    this.running.set(requestId, state);
    try {
      const result = await handler.run(params as never, context as TaskContext<never>);
      return { result, runMs, runs, taskMs: performance.now() - started, loadMs };
    } finally {
      this.running.delete(requestId);
    }
  }

  private ping(): PingResult {
    return { pid: process.pid, at: Date.now(), sessions: [...this.sessions.keys()] };
  }

  private session(sessionId: string): ort.InferenceSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new AppError('NOT_FOUND', `No inference session "${sessionId}" is loaded in the worker.`);
    return session;
  }
}

const GRAPH_OPT = { disabled: 'disabled', basic: 'basic', extended: 'extended', all: 'all' } as const;

/**
 * Session options. The caller chooses the optimisation level, threads and spinning (see the garment
 * pack's GARMENT_SESSION_OPTIONS for why); the memory arena is on unless the caller turns it off for a
 * multi-GB graph (protocol.ts, cpuMemArena). The memory pattern stays on: it plans one block for a
 * run's activations from the shapes of the first run and reuses it while the shapes stay, which saves
 * per-operator allocations on every denoising step and costs no more than the run's own peak.
 */
function createSession(model: ModelSource, provider: ProviderName, options: SessionLoadOptions): Promise<ort.InferenceSession> {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: [provider],
    graphOptimizationLevel: GRAPH_OPT[options.graphOptimizationLevel ?? 'all'],
    enableCpuMemArena: options.cpuMemArena ?? true,
    enableMemPattern: true,
    ...(options.intraOpNumThreads !== undefined ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
    extra: { session: { intra_op: { allow_spinning: options.allowSpinning ? '1' : '0' }, inter_op: { allow_spinning: options.allowSpinning ? '1' : '0' } } },
  };
  return 'path' in model
    ? ort.InferenceSession.create(model.path, sessionOptions)
    : ort.InferenceSession.create(model.bytes, sessionOptions);
}

/** The probe's known answer: a + b on fixed inputs, so "available" means "computed the right sum". */
export const PROBE_A = [1.5, -2, 3.25, 1024];
export const PROBE_B = [0.5, 2, -0.25, 1];

async function probeProvider(provider: ProviderName, modelPath: string): Promise<ProviderTrial> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  let session: ort.InferenceSession | null = null;
  try {
    session = await ort.InferenceSession.create(modelPath, { executionProviders: [provider] });
    const out = await session.run({
      a: new ort.Tensor('float32', Float32Array.from(PROBE_A), [4]),
      b: new ort.Tensor('float32', Float32Array.from(PROBE_B), [4]),
    });
    const sum = out.sum?.data;
    const expected = PROBE_A.map((a, i) => a + (PROBE_B[i] ?? 0));
    if (!(sum instanceof Float32Array) || expected.some((e, i) => sum[i] !== e)) {
      return { provider, ok: false, reason: `computed a wrong sum: ${sum ? Array.from(sum as ArrayLike<number>).join(', ') : 'no output'}`, ms: ms() };
    }
    return { provider, ok: true, ms: ms() };
  } catch (err) {
    return { provider, ok: false, reason: firstLine(errorMessage(err)), ms: ms() };
  } finally {
    await session?.release().catch(() => undefined);
  }
}

function describe(names: readonly string[], metadata: readonly ort.InferenceSession.ValueMetadata[]): ValueInfo[] {
  return names.map((name, i) => {
    const m = metadata[i];
    return m && m.isTensor ? { name, type: m.type, shape: [...m.shape] } : { name };
  });
}

function checkFeeds(sessionId: string, session: ort.InferenceSession, feeds: TensorMap): Record<string, ort.Tensor> {
  const given = Object.keys(feeds);
  const unknown = given.filter((n) => !session.inputNames.includes(n));
  const missing = session.inputNames.filter((n) => !given.includes(n));
  if (unknown.length > 0 || missing.length > 0) {
    const parts = [
      unknown.length ? `no input ${unknown.map((n) => `"${n}"`).join(', ')}` : '',
      missing.length ? `missing ${missing.map((n) => `"${n}"`).join(', ')}` : '',
    ].filter(Boolean);
    throw new AppError('INVALID_INPUT', `Bad feeds for session "${sessionId}": ${parts.join('; ')}. Its inputs are ${session.inputNames.join(', ')}.`);
  }
  const tensors: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) {
    if (!Array.isArray(t.dims) || t.dims.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new AppError('INVALID_INPUT', `Input "${name}" has bad dims [${String(t.dims)}]: each must be a non-negative integer.`);
    }
    const size = t.dims.reduce((a, b) => a * b, 1);
    if (t.data.length !== size) {
      throw new AppError('INVALID_INPUT', `Input "${name}" has ${t.data.length} values but dims [${t.dims.join(', ')}] need ${size}.`);
    }
    try {
      tensors[name] = new ort.Tensor(t.type, t.data as never, t.dims);
    } catch (err) {
      throw new AppError('INVALID_INPUT', `Input "${name}" is not a valid ${t.type} tensor: ${errorMessage(err)}`);
    }
  }
  return tensors;
}

function toWire(value: ort.OnnxValue): WireTensor {
  const t = value as ort.Tensor;
  return compactTensor({ type: t.type, dims: [...t.dims], data: t.data } as WireTensor);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function firstLine(message: string): string {
  const line = message.split('\n').find((l) => l.trim().length > 0) ?? message;
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}
