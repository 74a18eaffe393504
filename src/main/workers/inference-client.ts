import { AppError, type ErrorCode } from '../../shared/contract/errors';
import type { WorkerExit, WorkerLauncher, WorkerPort } from './port';
import {
  compactTensor,
  transferablesOf,
  type ModelSource,
  type PingResult,
  type ProviderName,
  type ProviderTrial,
  type RequestKind,
  type RunResult,
  type SessionInfo,
  type SessionLoadOptions,
  type TaskKind,
  type TaskOutcome,
  type TensorMap,
  type WorkerAnswers,
  type WorkerCall,
  type WorkerMessage,
  type WorkerVersions,
} from './protocol';

export interface InferenceWorkerOptions {
  /** Starts a worker process: forkLauncher() under Node, utilityWorkerLauncher() in the app. */
  launch: WorkerLauncher;
  /**
   * Providers for sessions that do not name their own, best first (the probe's choice). Asked once,
   * at the first load, so a probe only runs when something is really inferred.
   */
  providers?: () => ProviderName[] | Promise<ProviderName[]>;
  /** How long a fresh worker may take to say it is ready. */
  startTimeoutMs?: number;
  /** How long a session may take to load before the worker is deemed hung. */
  loadTimeoutMs?: number;
}

export interface RequestOptions {
  /** Deemed hung after this long: the request fails and the worker is stopped and restarted. */
  timeoutMs?: number;
  /** Stops waiting (JOB_CANCELLED). A native run cannot be interrupted; its answer is dropped. */
  signal?: AbortSignal;
}

export interface RunOptions extends RequestOptions {
  outputNames?: string[];
  /**
   * Hand the feeds' buffers over instead of keeping them. The process transports copy anyway, so
   * this only matters for a transport that can move buffers; the caller must not reuse the feeds.
   */
  transfer?: boolean;
}

export interface TaskOptions<G> extends RequestOptions {
  /**
   * Sessions the task uses, loaded with loadSession: after a worker restart they are loaded again
   * before the task is sent. Aborting `signal` sends the task a cancel, which it obeys between steps.
   */
  sessions: string[];
  /** Each progress report, until the task answers or is cancelled (later reports are dropped). */
  onProgress?: (progress: G) => void;
}

interface Pending {
  request: WorkerCall;
  onProgress?: (progress: unknown) => void;
  resolve(value: unknown): void;
  reject(err: AppError): void;
  cleanup(): void;
}

/** One worker process and what lives in it; a restart makes a new one. */
interface Live {
  port: WorkerPort;
  ready: Promise<void>;
  pending: Map<number, Pending>;
  loaded: Map<string, Promise<SessionInfo>>;
  /** Why we stopped it ourselves, so in-flight requests get the true story rather than "it crashed". */
  stopReason: { code: ErrorCode; message: string } | null;
  exited: Promise<WorkerExit>;
  /** Set once the process is gone: a request still aimed at it (after an await) fails with this at once. */
  exitError: AppError | null;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
const DEFAULT_LOAD_TIMEOUT_MS = 10 * 60_000;

/**
 * The main process's handle on the inference worker. Every onnxruntime session lives in the worker;
 * this class only sends requests and matches answers by id, so the main event loop never waits on
 * inference.
 *
 * If the worker dies (crash, kill, out of memory) every request in flight fails with WORKER_CRASHED
 * and the next request starts a fresh worker, reloading the sessions it needs from what was given
 * to loadSession.
 */
export class InferenceWorker {
  private live: Live | null = null;
  private nextId = 1;
  private closed = false;
  private readonly specs = new Map<string, { model: ModelSource; options: SessionLoadOptions }>();
  private defaultProviders: Promise<ProviderName[]> | null = null;
  private restarts = -1;
  private lastVersions: WorkerVersions | null = null;

  constructor(private readonly options: InferenceWorkerOptions) {}

  /** How many times a worker was started after the first; for diagnostics. */
  get restartCount(): number {
    return Math.max(0, this.restarts);
  }

  /** The worker's pid, or undefined while none runs. */
  get pid(): number | undefined {
    return this.live?.port.pid;
  }

  /**
   * Creates (or replaces) a session in the worker. `model` is a file path or the model's bytes;
   * the bytes are kept so the session can be recreated after a worker restart.
   */
  async loadSession(sessionId: string, model: string | Uint8Array | ModelSource, options: SessionLoadOptions & RequestOptions = {}): Promise<SessionInfo> {
    const source: ModelSource = typeof model === 'string' ? { path: model } : model instanceof Uint8Array ? { bytes: model } : model;
    const { timeoutMs, signal, ...loadOptions } = options;
    const resolved: SessionLoadOptions = {
      ...loadOptions,
      executionProviders: loadOptions.executionProviders ?? (await this.resolveDefaultProviders()),
    };
    this.specs.set(sessionId, { model: source, options: resolved });
    const live = this.ensureLive();
    const info = this.request<'load'>(
      live,
      { id: 0, kind: 'load', sessionId, model: source, options: resolved },
      { timeoutMs: timeoutMs ?? this.options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS, signal },
    );
    live.loaded.set(sessionId, info);
    info.catch(() => {
      if (live.loaded.get(sessionId) === info) live.loaded.delete(sessionId);
    });
    return info;
  }

  async run(sessionId: string, feeds: TensorMap, options: RunOptions = {}): Promise<RunResult> {
    const live = this.ensureLive();
    await this.ensureLoaded(live, sessionId, options);
    const compact: TensorMap = {};
    for (const [name, t] of Object.entries(feeds)) compact[name] = compactTensor(t);
    return this.request<'run'>(
      live,
      { id: 0, kind: 'run', sessionId, feeds: compact, ...(options.outputNames ? { outputNames: options.outputNames } : {}) },
      options,
      options.transfer ? transferablesOf(compact) : undefined,
    );
  }

  /**
   * Runs a whole pipeline in the worker (see TaskKind): the params go in once, progress comes back
   * while it runs, the result at the end, instead of one round trip per session run.
   */
  async runTask<P, G, R>(kind: TaskKind<P, G, R>, params: P, options: TaskOptions<G>): Promise<TaskOutcome<R>> {
    const live = this.ensureLive();
    for (const sessionId of options.sessions) await this.ensureLoaded(live, sessionId, options);
    const outcome = await this.request<'task'>(live, { id: 0, kind: 'task', task: kind.task, sessions: options.sessions, params }, options, undefined, options.onProgress as ((p: unknown) => void) | undefined);
    return outcome as TaskOutcome<R>;
  }

  async release(sessionId: string): Promise<{ released: boolean }> {
    this.specs.delete(sessionId);
    const live = this.live;
    if (!live || !live.loaded.has(sessionId)) return { released: false };
    live.loaded.delete(sessionId);
    return this.request<'release'>(live, { id: 0, kind: 'release', sessionId }, {});
  }

  /**
   * Tries one execution provider on the probe model in this worker. Meant for a throwaway worker
   * (see probeProviders): a provider whose native library is broken may take the process down.
   */
  async probe(provider: ProviderName, modelPath: string, options: RequestOptions = {}): Promise<ProviderTrial> {
    return this.request<'probe'>(this.ensureLive(), { id: 0, kind: 'probe', provider, modelPath }, options);
  }

  /** Versions the running worker reported when it started (null before the first start). */
  get versions(): WorkerVersions | null {
    return this.lastVersions;
  }

  /** A round trip to the worker (starting it if needed); it answers after any run ahead of it. */
  async ping(options: RequestOptions = {}): Promise<PingResult> {
    return this.request<'ping'>(this.ensureLive(), { id: 0, kind: 'ping' }, options);
  }

  /** Stops the worker; requests in flight fail, later ones are refused. */
  async shutdown(graceMs = 2_000): Promise<void> {
    this.closed = true;
    const live = this.live;
    if (!live) return;
    live.stopReason = { code: 'JOB_CANCELLED', message: 'The inference worker was shut down' };
    this.retire(live);
    live.port.kill('SIGTERM');
    const hard = setTimeout(() => live.port.kill('SIGKILL'), graceMs);
    await live.exited;
    clearTimeout(hard);
  }

  private resolveDefaultProviders(): Promise<ProviderName[]> {
    // A probe that fails leaves CPU, which always works; the session load reports anything worse.
    const cpuOnly: ProviderName[] = ['cpu'];
    const chosen =
      this.defaultProviders ??
      Promise.resolve()
        .then(() => this.options.providers?.() ?? cpuOnly)
        .catch(() => cpuOnly);
    this.defaultProviders = chosen;
    return chosen;
  }

  private async ensureLoaded(live: Live, sessionId: string, options: RequestOptions): Promise<void> {
    if (live.loaded.has(sessionId)) {
      await live.loaded.get(sessionId);
      return;
    }
    const spec = this.specs.get(sessionId);
    if (!spec) throw new AppError('NOT_FOUND', `No inference session "${sessionId}" is loaded; load it before running it.`);
    // The worker restarted since the session was loaded: recreate it from what loadSession was given.
    const info = this.request<'load'>(
      live,
      { id: 0, kind: 'load', sessionId, model: spec.model, options: spec.options },
      { timeoutMs: this.options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS, signal: options.signal },
    );
    live.loaded.set(sessionId, info);
    info.catch(() => {
      if (live.loaded.get(sessionId) === info) live.loaded.delete(sessionId);
    });
    await info;
  }

  /** A worker we are stopping takes no new requests: the next one starts a fresh process at once. */
  private retire(live: Live): void {
    if (this.live === live) this.live = null;
  }

  private ensureLive(): Live {
    if (this.closed) throw new AppError('INTERNAL', 'The inference worker has been shut down.');
    if (this.live) return this.live;
    this.restarts += 1;
    const port = this.options.launch();
    let markReady!: () => void;
    let failReady!: (err: AppError) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    ready.catch(() => undefined);
    let announceExit!: (exit: WorkerExit) => void;
    const exited = new Promise<WorkerExit>((resolve) => (announceExit = resolve));
    const live: Live = { port, ready, pending: new Map(), loaded: new Map(), stopReason: null, exited, exitError: null };

    const startTimeoutMs = this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const startTimer = setTimeout(() => {
      live.stopReason = { code: 'WORKER_CRASHED', message: `The inference worker did not start within ${startTimeoutMs / 1000} s` };
      failReady(new AppError('WORKER_CRASHED', `${live.stopReason.message}; it was stopped.`));
      this.retire(live);
      port.kill('SIGKILL');
    }, startTimeoutMs);

    port.onMessage((message: WorkerMessage) => {
      if (message.kind === 'ready') {
        clearTimeout(startTimer);
        this.lastVersions = message.versions;
        markReady();
        return;
      }
      if (message.kind === 'progress') {
        live.pending.get(message.id)?.onProgress?.(message.progress);
        return;
      }
      const pending = live.pending.get(message.id);
      if (!pending) return; // cancelled or timed out: the answer has no taker
      live.pending.delete(message.id);
      pending.cleanup();
      if (message.ok) pending.resolve(message.value);
      else pending.reject(new AppError(message.error.code, message.error.message, message.error.details));
    });

    port.onExit((exit) => {
      clearTimeout(startTimer);
      this.retire(live);
      const cause = describeExit(exit);
      const inFlight = [...live.pending.values()];
      live.pending.clear();
      const first = inFlight[0];
      const what = first ? ` while ${describeRequest(first.request)}${inFlight.length > 1 ? ` (and ${inFlight.length - 1} more request${inFlight.length > 2 ? 's' : ''})` : ''}` : '';
      const stop = live.stopReason;
      const error = stop
        ? new AppError(stop.code, `${stop.message} (${cause})${what}.`)
        : new AppError('WORKER_CRASHED', `The inference worker stopped (${cause})${what}; it restarts for the next request.${lastWords(exit)}`, { exit });
      live.exitError = error;
      failReady(error);
      for (const p of inFlight) {
        p.cleanup();
        p.reject(error);
      }
      announceExit(exit);
    });

    this.live = live;
    return live;
  }

  private request<K extends RequestKind>(
    live: Live,
    request: Extract<WorkerCall, { kind: K }>,
    options: RequestOptions,
    transfer?: ArrayBuffer[],
    onProgress?: (progress: unknown) => void,
  ): Promise<WorkerAnswers[K]> {
    const id = this.nextId++;
    const message = { ...request, id } as WorkerCall;
    let sent = false;
    return new Promise<WorkerAnswers[K]>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new AppError('JOB_CANCELLED', `Cancelled before ${describeRequest(message)}.`));
        return;
      }
      if (live.exitError) {
        reject(live.exitError);
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        if (!live.pending.delete(id)) return;
        cleanup();
        // A task checks for this between its steps and frees what it holds; a plain run cannot
        // be stopped, its answer is just dropped.
        if (sent && message.kind === 'task') live.port.postMessage({ id: this.nextId++, kind: 'cancel', target: id });
        reject(new AppError('JOB_CANCELLED', `Cancelled while ${describeRequest(message)}.`));
      };
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      live.pending.set(id, { request: message, resolve: resolve as (v: unknown) => void, reject, cleanup, ...(onProgress ? { onProgress } : {}) });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      // The clock starts when the request is sent: a worker's start has its own timeout.
      const startClock = () => {
        if (!options.timeoutMs || options.timeoutMs <= 0) return;
        const ms = options.timeoutMs;
        timer = setTimeout(() => {
          const pending = live.pending.get(id);
          if (!pending) return;
          // A native call cannot be interrupted, so a worker that overruns is stopped and replaced.
          live.pending.delete(id);
          cleanup();
          const message = `The inference worker did not finish ${describeRequest(pending.request)} within ${ms / 1000} s; it was stopped and restarts for the next request`;
          live.stopReason = { code: 'WORKER_CRASHED', message: `The inference worker was stopped after another request timed out` };
          reject(new AppError('WORKER_CRASHED', `${message}.`));
          this.retire(live);
          live.port.kill('SIGKILL');
        }, ms);
      };
      live.ready.then(
        () => {
          if (!live.pending.has(id)) return;
          startClock();
          sent = true;
          live.port.postMessage(message, transfer);
        },
        (err: AppError) => {
          if (!live.pending.delete(id)) return;
          cleanup();
          reject(err);
        },
      );
    });
  }
}

function describeExit(exit: WorkerExit): string {
  if (exit.signal) return `signal ${exit.signal}`;
  if (exit.code !== null) return `exit code ${exit.code}`;
  return 'no exit code';
}

// onnxruntime colours its log lines; the escape codes would be noise in a message.
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The last line a crashed worker wrote, when its launcher kept its stderr: often the native error. */
function lastWords(exit: WorkerExit): string {
  const line = exit.stderrTail
    ?.split('\n')
    .map((l) => l.replace(ANSI_COLOUR, '').trim())
    .filter(Boolean)
    .pop();
  return line ? ` Its last output: ${line.slice(0, 300)}` : '';
}

export function describeRequest(request: WorkerCall): string {
  switch (request.kind) {
    case 'task':
      return `running the task "${request.task}"`;
    case 'load':
      return `loading session "${request.sessionId}"`;
    case 'run':
      return `running session "${request.sessionId}"`;
    case 'release':
      return `releasing session "${request.sessionId}"`;
    case 'ping':
      return 'answering a ping';
    case 'probe':
      return `probing the ${request.provider} execution provider`;
  }
}
