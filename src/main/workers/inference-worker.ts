import ort from 'onnxruntime-node';
import { AppError } from '../../shared/contract/errors';
import { watchParentLifeline } from './lifeline';
import { isWorkerRequest, type WorkerMessage, type WorkerRequest } from './protocol';
import { errorMessage, WorkerRuntime } from './runtime';
import { WORKER_TASKS } from './tasks';

/**
 * The inference worker process. Started by Electron's utilityProcess in the app (messages through
 * `process.parentPort`) or by child_process.fork under plain Node (messages through process.send);
 * everything past these few lines is the same.
 */

/** The slice of Electron's utility-process parent port this file uses; typed here so it never imports electron. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(message: WorkerMessage): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

function onRequest(listener: (request: WorkerRequest) => void): void {
  const accept = (data: unknown) => {
    if (isWorkerRequest(data)) listener(data);
  };
  if (parentPort) parentPort.on('message', (event) => accept(event.data));
  else process.on('message', accept);
}

if (!parentPort && !process.send) {
  process.stderr.write('inference-worker: started without a parent to talk to; exiting.\n');
  process.exit(2);
}

const runtime = new WorkerRuntime(WORKER_TASKS);
// Requests run one after another: a session run blocks this process's thread anyway, and serial
// order keeps a load before the runs that use it.
let queue: Promise<void> = Promise.resolve();

onRequest((request) => {
  // A cancel skips the queue: the task it stops is what holds the queue.
  if (request.kind === 'cancel') {
    runtime.cancel(request.target);
    return;
  }
  queue = queue.then(async () => {
    try {
      const value = await runtime.handle(request, (id, progress) => send({ kind: 'progress', id, progress }));
      send({ kind: 'answer', id: request.id, ok: true, value });
    } catch (err) {
      const error = err instanceof AppError ? err.toData() : { code: 'INTERNAL' as const, message: errorMessage(err) };
      send({ kind: 'answer', id: request.id, ok: false, error });
    }
  });
});

// A worker must not outlive the app. Under fork the parent's death closes the IPC channel, but that
// event waits for this thread to be free; the lifeline acts even while a session run holds it.
process.on('disconnect', () => process.exit(0));
watchParentLifeline();

send({
  kind: 'ready',
  pid: process.pid,
  versions: { onnxruntime: ort.env.versions.node ?? ort.env.versions.common, node: process.versions.node, electron: process.versions.electron ?? null },
});
