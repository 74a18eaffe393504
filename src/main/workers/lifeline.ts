import { Worker } from 'node:worker_threads';

/**
 * Told to a worker process whose stdin is a pipe that only its parent holds open: the pipe's end of
 * file then means the parent is gone, however it went (SIGKILL included), and the kernel says so at
 * once. Without the flag stdin means nothing (a terminal, /dev/null) and is left alone.
 */
export const LIFELINE_ARG = '--lifeline=stdin';

// Plain CommonJS for an eval'd thread, so it needs no file of its own beside the bundled worker. It
// runs on a thread of its own because the worker's main thread may sit for seconds inside a native
// session run, where neither 'disconnect' nor any other event reaches it. SIGKILL, because
// process.exit() on a thread ends only the thread and a SIGTERM handler could defer the end.
const WATCHER = `
const net = require('node:net');
const end = () => process.kill(process.pid, 'SIGKILL');
const pipe = new net.Socket({ fd: 0, readable: true, writable: false });
pipe.on('data', () => undefined);
pipe.on('end', end);
pipe.on('close', end);
pipe.on('error', end);
`;

/** Ends this process the moment its parent's end of stdin closes; a no-op without LIFELINE_ARG. */
export function watchParentLifeline(argv: readonly string[] = process.argv): void {
  if (!argv.includes(LIFELINE_ARG)) return;
  // Unref'd: the watcher must never be what keeps a finished worker alive.
  new Worker(WATCHER, { eval: true }).unref();
}
