import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../../../shared/contract';
import type { ThreadJob, ToMain, ToWorker } from './assemble-protocol';

export interface ThreadAssembly extends ThreadJob {
  signal: AbortSignal;
  onProgress?(progress: { graph: string; written: number; total: number }): void;
  /** A graph's data file is complete; the thread goes on to the next one once this returns (if the signal is not aborted by then). */
  onGraph?(graph: { graph: string; data: string; size: number; reused: boolean }): void;
  onInstalling?(): void;
}

/** How long a stopped assembly gets to wind down (close files, drop its temp file) before its thread is terminated. */
const STOP_GRACE_MS = 500;

/**
 * Assembles a recipe and installs the pack in a worker thread (assemble-worker.ts); resolves with the
 * installed pack's id. Aborting the signal stops the thread within a second: it is asked first, then
 * terminated. What it finished stays in the staging folder's journal for a later run.
 */
export function assembleInThread(job: ThreadAssembly): Promise<{ packId: string }> {
  const { signal, onProgress, onGraph, onInstalling, ...data } = job;
  if (signal.aborted) return Promise.reject(stopped());
  const worker = startWorker(data);
  return new Promise((resolve, reject) => {
    let outcome: { packId: string } | AppError | null = null;
    let killer: NodeJS.Timeout | null = null;
    const send = (message: ToWorker) => worker.postMessage(message);
    const onAbort = () => {
      outcome ??= stopped();
      send({ type: 'cancel' });
      killer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: ToMain) => {
      if (message.type === 'progress') onProgress?.(message);
      else if (message.type === 'graph') {
        onGraph?.(message);
        send({ type: signal.aborted ? 'cancel' : 'continue' });
      } else if (message.type === 'installing') onInstalling?.();
      else if (message.type === 'done') outcome ??= { packId: message.packId };
      else if (message.type === 'failed') outcome ??= new AppError(message.error.code as ErrorCode, message.error.message, message.error.details);
      if (message.type === 'done' || message.type === 'failed') void worker.terminate();
    });
    worker.on('error', (err) => {
      outcome ??= new AppError('INTERNAL', `The assembly thread failed: ${err.message}`);
    });
    worker.on('exit', (code) => {
      signal.removeEventListener('abort', onAbort);
      if (killer) clearTimeout(killer);
      const result = outcome ?? new AppError('INTERNAL', `The assembly thread stopped (exit code ${code}) before it finished.`);
      if (result instanceof AppError) reject(result);
      else resolve(result);
    });
  });
}

const stopped = () => new AppError('JOB_CANCELLED', 'The assembly was stopped.');

/**
 * The built app has the worker bundled beside the main bundle (electron.vite.config.ts); from the
 * sources (tests, the CLI, the bench) the TypeScript entry runs through tsx's loader in the thread.
 */
function startWorker(workerData: ThreadJob): Worker {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const built = path.join(here, 'assemble-worker.js');
  if (fs.existsSync(built)) return new Worker(built, { workerData });
  const entry = pathToFileURL(path.join(here, 'assemble-worker.ts')).href;
  // tsx's ESM API by absolute URL: the thread may start from any working directory.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })
    .catch((err) => { require('node:worker_threads').parentPort.postMessage({ type: 'failed', error: { code: 'INTERNAL', message: 'The assembly thread could not start: ' + (err && err.message) } }); });`;
  return new Worker(boot, { eval: true, workerData });
}
