import { fork } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LIFELINE_ARG } from './lifeline';
import type { WorkerMessage, WorkerRequest } from './protocol';

/** How a worker process ended: an exit code, a signal, or neither when the platform does not say. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what the process wrote to stderr, when its launcher kept it (native crash messages). */
  stderrTail?: string;
}

/**
 * One running worker process, whatever started it: child_process.fork under plain Node, Electron's
 * utilityProcess in the app (src/main/platform/utility-worker.ts). The client only needs these five
 * things, so the same client code runs in both.
 */
export interface WorkerPort {
  readonly pid: number | undefined;
  /**
   * `transfer` names buffers the sender gives up; a transport that can only copy (both process
   * transports: structured serialization over a pipe) ignores it.
   */
  postMessage(message: WorkerRequest, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (message: WorkerMessage) => void): void;
  /** Called once, whether the process exited, was killed or failed to start. */
  onExit(listener: (exit: WorkerExit) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts a fresh worker process. */
export type WorkerLauncher = () => WorkerPort;

/**
 * The worker's TypeScript entry beside this file; plain Node runs it through tsx's loader. (A path
 * join rather than `new URL(..., import.meta.url)`, which bundlers would take for an asset.)
 */
export const WORKER_ENTRY_TS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'inference-worker.ts');

/**
 * `--import tsx` resolves tsx from the child's working directory, which may be anywhere (the CLI
 * runs from the user's folder), so the loader is named by its absolute URL, found from here.
 */
function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

/** child_process.fork of the worker entry: the launcher for the CLI, the tests and the browser harness. */
export interface ForkOptions {
  entry?: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /**
   * Keep the worker's stderr off the terminal (onnxruntime and GPU drivers log freely while a
   * provider is probed); its last few KB still come back in WorkerExit.stderrTail.
   */
  quiet?: boolean;
}

const STDERR_TAIL_BYTES = 4096;

export function forkLauncher(options: ForkOptions = {}): WorkerLauncher {
  const entry = options.entry ?? WORKER_ENTRY_TS;
  const execArgv = options.execArgv ?? (entry.endsWith('.ts') ? ['--import', tsxLoaderUrl()] : []);
  return () => {
    const child = fork(entry, [LIFELINE_ARG], {
      execArgv,
      env: options.env ?? process.env,
      // Advanced serialization is V8's structured clone: typed arrays and bigints survive the trip.
      serialization: 'advanced',
      // stdin is the lifeline: never written, its end of file tells the worker this process died.
      stdio: ['pipe', options.quiet ? 'ignore' : 'inherit', options.quiet ? 'pipe' : 'inherit', 'ipc'],
    });
    // Never written, so an error here (the worker gone first) means nothing to this side.
    child.stdin?.on('error', () => undefined);
    let stderrTail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
    });
    let exited = false;
    const exitListeners: ((exit: WorkerExit) => void)[] = [];
    const announceExit = (exit: WorkerExit) => {
      if (exited) return;
      exited = true;
      for (const l of exitListeners) l(exit);
    };
    // 'close' rather than 'exit': it comes after stderr has been read to the end.
    child.on('close', (code, signal) => announceExit({ code, signal, ...(stderrTail ? { stderrTail } : {}) }));
    // A failed spawn emits 'error' and may never emit 'exit'.
    child.on('error', () => {
      if (child.exitCode === null && child.signalCode === null && child.pid === undefined) announceExit({ code: null, signal: null });
    });
    return {
      get pid() {
        return child.pid;
      },
      postMessage(message) {
        if (child.connected) child.send(message);
      },
      onMessage(listener) {
        child.on('message', (m) => listener(m as WorkerMessage));
      },
      onExit(listener) {
        exitListeners.push(listener);
      },
      kill(signal = 'SIGTERM') {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
    };
  };
}
