import { utilityProcess } from 'electron';
import type { WorkerLauncher, WorkerMessage, WorkerPort } from '../workers';

/**
 * The inference worker as an Electron utilityProcess: the app's WorkerLauncher. `entry` is the
 * built worker, out/main/inference-worker.js (electron.vite.config.ts), i.e.
 * path.join(__dirname-of-the-main-bundle, 'inference-worker.js').
 */
export function utilityWorkerLauncher(entry: string): WorkerLauncher {
  return () => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Jinxiu inference', stdio: 'inherit' });
    let exited = false;
    const exitListeners: ((exit: { code: number | null; signal: NodeJS.Signals | null }) => void)[] = [];
    // utilityProcess reports only an exit code; a process killed by a signal is told apart by its
    // 'exit' coming without our kill. The code is what we can honestly pass on.
    child.on('exit', (code) => {
      if (exited) return;
      exited = true;
      for (const l of exitListeners) l({ code, signal: null });
    });
    const port: WorkerPort = {
      get pid() {
        return child.pid;
      },
      // utilityProcess can transfer only MessagePorts; typed arrays are structured-cloned.
      postMessage(message) {
        if (!exited) child.postMessage(message);
      },
      onMessage(listener) {
        child.on('message', (message: unknown) => listener(message as WorkerMessage));
      },
      onExit(listener) {
        exitListeners.push(listener);
      },
      kill() {
        // utilityProcess.kill() sends SIGTERM on POSIX and terminates on Windows; there is no choice of signal.
        if (!exited) child.kill();
      },
    };
    return port;
  };
}
