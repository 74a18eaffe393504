/** Messages between the main process and the assembly thread (assemble-worker.ts). */

export interface ThreadJob {
  recipeId: string;
  recipeDir: string;
  files: Record<string, string>;
  /** Holds journal.json and pack/ (the pack being assembled); kept across pauses. */
  stagingDir: string;
  /** The library's models folder, which the finished pack is installed into. */
  modelsDir: string;
  manifest?: { id?: string; name?: string };
}

export type ToWorker = { type: 'cancel' } | { type: 'continue' };

export type ToMain =
  | { type: 'progress'; graph: string; written: number; total: number }
  /** A graph's data file is complete (written now, or reused from an earlier run); the worker waits for `continue`. */
  | { type: 'graph'; graph: string; data: string; size: number; reused: boolean }
  | { type: 'installing' }
  | { type: 'done'; packId: string }
  | { type: 'failed'; error: { code: string; message: string; details?: unknown } };
