import type { ModelSource, RunResult, SessionInfo, SessionLoadOptions, TaskKind, TensorMap } from './protocol';

/**
 * What a task gets from the worker while it runs: the sessions loaded there, a way to report
 * progress, and the cancel flag. Sessions run in this process, so a run costs no IPC at all.
 */
export interface TaskContext<G> {
  /** A loaded session's signature, as load answered it. NOT_FOUND when the session is not loaded. */
  session(sessionId: string): SessionInfo;
  /**
   * Loads a session for this task alone (staged loading of big packs: load a stage's graphs, run
   * them, release them before the next stage). The main process does not track it: a task that
   * loads a session releases it too. Load time counts in the task's loadMs.
   */
  load(sessionId: string, model: ModelSource, options: SessionLoadOptions): Promise<SessionInfo>;
  /** Releases a session this task loaded; nothing when it is not loaded. */
  release(sessionId: string): Promise<void>;
  /** Runs a session; its onnxruntime time counts in the task's runMs. */
  run(sessionId: string, feeds: TensorMap, outputNames?: string[]): Promise<RunResult>;
  progress(progress: G): void;
  /** Throws JOB_CANCELLED once a cancel for this task has arrived (check between steps). */
  throwIfCancelled(): void;
  /**
   * Changes whenever one of the task's sessions is loaded again, so a task may cache what it
   * computed from them (encoded prompts) under this key and never serve a stale entry.
   */
  readonly sessionsStamp: string;
}

/** A task the worker can run: its name and the code. Lives with the engine that owns the pipeline. */
export interface TaskHandler<P, G, R> {
  kind: TaskKind<P, G, R>;
  run(params: P, context: TaskContext<G>): Promise<R>;
}

/** A handler with its types forgotten, for the worker's registry. */
export interface AnyTaskHandler {
  kind: { readonly task: string };
  run(params: never, context: TaskContext<never>): Promise<unknown>;
}
