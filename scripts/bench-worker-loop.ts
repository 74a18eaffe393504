/**
 * Main event loop while the inference worker runs: `npm run bench:worker-loop [-- --runs N --rows R]`.
 * Runs the slow fixture model (src/main/workers/fixtures) N times in a worker process while a
 * `system.ping` goes through the contract's dispatcher every 10 ms, and prints how late the pings came.
 * The unit test (inference-worker.test.ts) only checks that pings are answered during each run; how
 * late they come depends on the machine, so it is a figure for the report, not a pass mark.
 *
 * "late" is the time from when a ping was due to its answer. On a shared machine much of it is this
 * thread waiting for a CPU (Linux counts that in /proc schedstat); "loop busy" is what is left, the time
 * the loop itself could not answer, which is what inference on the main thread would inflate.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { contract } from '../src/shared/contract';
import { createDispatcher } from '../src/main/host/dispatch';
import { createHandlers } from '../src/main/host/handlers';
import { Studio } from '../src/main/studio';
import { SLOW_MODEL_PATH, slowFeeds } from '../src/main/workers/fixtures/slow-model';
import { InferenceWorker } from '../src/main/workers/inference-client';
import { forkLauncher } from '../src/main/workers/port';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

/** How long this thread has sat runnable but waiting for a CPU, in ms (Linux schedstat; 0 elsewhere). */
function runQueueWaitMs(): number {
  try {
    const fields = fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').trim().split(/\s+/);
    return Number(fields[1] ?? 0) / 1e6;
  } catch {
    return 0;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

async function main(): Promise<void> {
  const runs = arg('runs', 4);
  const rows = arg('rows', 512);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-bench-loop-'));
  const studio = Studio.open({ libraryDir: path.join(tmp, 'lib') });
  const dispatch = createDispatcher(contract, createHandlers(studio));
  const worker = new InferenceWorker({ launch: forkLauncher() });
  try {
    await worker.loadSession('slow', SLOW_MODEL_PATH, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
    const feeds = slowFeeds(rows);
    const late: number[] = [];
    const busy: number[] = [];
    let pinging = true;
    const pinger = (async () => {
      while (pinging) {
        const due = performance.now() + 10;
        const waitedBefore = runQueueWaitMs();
        await new Promise((r) => setTimeout(r, 10));
        const answer = await dispatch('system.ping', {});
        if (!answer.ok) throw new Error(`system.ping failed: ${JSON.stringify(answer)}`);
        const ms = performance.now() - due;
        late.push(ms);
        busy.push(ms - (runQueueWaitMs() - waitedBefore));
      }
    })();
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    let inferenceMs = 0;
    for (let i = 0; i < runs; i++) inferenceMs += (await worker.run('slow', feeds)).runMs;
    lag.disable();
    pinging = false;
    await pinger;

    late.sort((a, b) => a - b);
    busy.sort((a, b) => a - b);
    const f = (v: number) => v.toFixed(1).padStart(8);
    console.log(`Event loop during ${runs} slow-model runs of ${rows} rows (${(inferenceMs / runs).toFixed(0)} ms each in the worker), ${os.cpus().length} CPUs, ${late.length} pings`);
    console.log(`${'ms'.padEnd(28)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'max'.padStart(8)}`);
    console.log(`${'ping late'.padEnd(28)}${f(percentile(late, 50))}${f(percentile(late, 95))}${f(late.at(-1) ?? NaN)}`);
    console.log(`${'ping late, loop busy'.padEnd(28)}${f(percentile(busy, 50))}${f(percentile(busy, 95))}${f(busy.at(-1) ?? NaN)}`);
    console.log(`${'event-loop delay'.padEnd(28)}${f(lag.percentile(50) / 1e6)}${f(lag.percentile(95) / 1e6)}${f(lag.max / 1e6)}`);
  } finally {
    await worker.shutdown();
    await studio.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
