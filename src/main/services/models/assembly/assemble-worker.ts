/**
 * The assembly thread: runs a recipe (tensor streaming, dtype conversion, LoRA merge, hashing) and
 * the atomic install of the result in a worker_threads Worker, so the studio's main process keeps
 * answering while gigabytes are converted. assemble-thread.ts starts it and speaks this protocol.
 */
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../../shared/contract';
import { installPack } from '../install';
import { ModelsFolder } from '../models-folder';
import { assemblePack } from './assemble-pack';
import { AssemblyJournal, inputsKey } from './journal';
import type { ThreadJob, ToMain, ToWorker } from './assemble-protocol';

const port = parentPort;
if (!port) throw new Error('assemble-worker runs as a worker thread only');
const job = workerData as ThreadJob;
const controller = new AbortController();
/** The main side's answer to the last finished graph: go on, or stop there. */
let gate: { resolve(): void; reject(err: Error): void } | null = null;
const post = (message: ToMain) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') {
    controller.abort();
    gate?.reject(new AppError('JOB_CANCELLED', 'The assembly was stopped.'));
    gate = null;
  } else if (message.type === 'continue') {
    gate?.resolve();
    gate = null;
  }
});

async function run(): Promise<void> {
  const packDir = path.join(job.stagingDir, 'pack');
  const journal = await AssemblyJournal.open(path.join(job.stagingDir, 'journal.json'), packDir, await inputsKey(job.recipeId, job.files), controller.signal);
  await assemblePack({
    recipeDir: job.recipeDir,
    files: job.files,
    outDir: packDir,
    manifest: job.manifest,
    signal: controller.signal,
    keep: journal.kept,
    onProgress: (p) => post({ type: 'progress', ...p }),
    resume: {
      reuse: (map) => journal.reuse(map),
      written: async (file) => {
        await journal.written(file);
        // The next graph starts only when the main side says so: a pause after N graphs stops after N.
        const next = new Promise<void>((resolve, reject) => (gate = { resolve, reject }));
        post({ type: 'graph', graph: file.graph, data: path.basename(file.path), size: file.size, reused: file.reused });
        await next;
      },
    },
  });
  if (controller.signal.aborted) throw new AppError('JOB_CANCELLED', 'The assembly was stopped.');
  post({ type: 'installing' });
  const manifest = await installPack(new ModelsFolder(job.modelsDir), packDir);
  post({ type: 'done', packId: manifest.base.id });
}

run().catch((err: unknown) => {
  const e = err instanceof AppError ? err : new AppError('INTERNAL', err instanceof Error ? err.message : String(err));
  post({ type: 'failed', error: { code: e.code, message: e.message, details: e.details } });
});
