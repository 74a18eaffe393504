/**
 * `npm run bench:generate`: the garment engine's speed on a pack (the toolchain's tiny pack by
 * default), printed as a table.
 *
 *   npm run bench:generate -- [--pack DIR] [--steps N] [--repeats R] [--threads T] [--provider cpu|cuda|...] [--no-peer]
 *
 * Rows: both variants batched into one UNet pass, both as two sequential passes, and the same model
 * run by diffusers + PyTorch on CPU through the toolchain's reference pipeline (its venv,
 * tools/models/.venv, when present). Goals from the issue: pipeline overhead over the raw
 * session.run times < 5%, batched <= 0.65 of sequential, >= 2x faster than the peer.
 *
 * The whole pipeline runs in the inference worker as one task (see GarmentGenerator), so the raw
 * session.run times are summed inside the worker; "worker JS" is the pipeline's own work there
 * (guidance, scheduler, tensor copies) and "call" is everything outside the task: preparing the
 * request on the main side (tokenising, pixels) and its one round trip with the images.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GarmentGenerator, type GarmentRequest } from '../src/main/services/garment/generator';
import { loadGarmentPack } from '../src/main/services/garment/pack';
import { Golden } from '../src/main/services/garment/testing/golden';
import { TINY_PACK_DIR } from '../src/main/services/garment/testing/tiny-pack';
import { forkLauncher, InferenceWorker, type ProviderName } from '../src/main/workers';

const repo = fileURLToPath(new URL('..', import.meta.url));

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const packDir = path.resolve(option('pack', TINY_PACK_DIR));
const repeats = Number(option('repeats', '3'));
const threads = Number(option('threads', String(os.availableParallelism())));
const provider = option('provider', 'cpu') as ProviderName;
const withPeer = !process.argv.includes('--no-peer');

interface Row {
  label: string;
  provider: string;
  msPerStep: number;
  msPerImage: number;
  runMs: number | null;
  /** The pipeline's own work in the worker: guidance, scheduler steps, batching, tensor copies. */
  workerJsMs: number | null;
  /** Outside the task: the request prepared on the main side, its one round trip, the images back. */
  callMs: number | null;
  overhead: number | null;
}

/** Medians, not means: other work on a shared machine lands as a few long outliers. */
function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const worker = new InferenceWorker({ launch: forkLauncher(), providers: () => [provider] });
  const pack = await loadGarmentPack(packDir, worker, { executionProviders: [provider], intraOpNumThreads: threads });
  const steps = Number(option('steps', String(pack.garment.defaults.steps)));
  const golden = new Golden<{ case: { prompt: string; fabric: string; guidanceScale: number } }>('garment_pipeline');
  const size = pack.garment.preprocess.sketch.imageSize;
  const image = (key: string) => {
    const a = golden.array(key);
    if (a.shape[0] !== size) throw new Error(`the golden ${key} is ${a.shape[0]}px; this pack's encoder takes ${size}px (pass the tiny pack)`);
    return { width: size, height: size, data: a.data as Uint8Array };
  };
  const request: GarmentRequest = {
    prompt: golden.meta.case.prompt,
    sketch: image('sketch'),
    swatch: image('swatch'),
    fabricLabel: golden.meta.case.fabric,
    steps,
    guidanceScale: golden.meta.case.guidanceScale,
    seed: 3,
  };
  const generator = new GarmentGenerator(pack);
  const usedProvider = pack.sessions.unet?.provider ?? provider;
  const rows: Row[] = [];

  // Warm both modes up first (the first renders allocate and compile, in both processes), then
  // alternate them so that load from elsewhere on the machine falls on both alike.
  const modes = [true, false] as const;
  for (let w = 0; w < 3; w++) for (const batched of modes) await generator.generate({ ...request, batched });
  const samples = new Map(modes.map((b) => [b, { walls: [] as number[], runs: [] as number[], tasks: [] as number[], stepGaps: [] as number[] }]));
  for (let r = 0; r < repeats; r++) {
    for (const batched of modes) {
      const m = samples.get(batched)!;
      let last = 0;
      const start = performance.now();
      const { timings } = await generator.generateTimed(
        { ...request, batched },
        {
          onStep: (step) => {
            const now = performance.now();
            if (step > 1) m.stepGaps.push(now - last);
            last = now;
          },
        },
      );
      m.walls.push(performance.now() - start);
      m.runs.push(timings.runMs);
      m.tasks.push(timings.taskMs);
    }
  }
  for (const batched of modes) {
    const m = samples.get(batched)!;
    const wall = median(m.walls);
    const run = median(m.runs);
    const task = median(m.tasks);
    rows.push({
      label: batched ? 'jinxiu, both variants batched (1 UNet pass x4)' : 'jinxiu, both variants sequential (2 passes x2)',
      provider: usedProvider,
      msPerStep: median(m.stepGaps),
      msPerImage: wall / 2,
      runMs: run,
      workerJsMs: task - run,
      callMs: wall - task,
      overhead: (wall - run) / run,
    });
  }
  await pack.unload();
  await worker.shutdown();

  let peerNote = '';
  const python = path.join(repo, 'tools/models/.venv/bin/python');
  if (withPeer && fs.existsSync(python)) {
    try {
      const { stdout } = await promisify(execFile)(
        python,
        [path.join(repo, 'scripts/bench-generate-peer.py'), '--pack', packDir, '--steps', String(steps), '--repeats', String(repeats), '--threads', String(threads)],
        { cwd: repo, maxBuffer: 16 * 1024 * 1024 },
      );
      const peer = JSON.parse(stdout.trim().split('\n').at(-1)!) as { msPerImage: number; msPerStep: number; maxAbsDiffFromOnnx: number; torchThreads: number; torch: string };
      rows.push({ label: `diffusers + PyTorch ${peer.torch} (2 runs, ${peer.torchThreads} threads)`, provider: 'torch cpu', msPerStep: peer.msPerStep, msPerImage: peer.msPerImage, runMs: null, workerJsMs: null, callMs: null, overhead: null });
      peerNote = `peer image vs onnxruntime: max abs diff ${peer.maxAbsDiffFromOnnx.toExponential(2)} (same weights)`;
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? '';
      const cause = stderr.trim().split('\n').filter((l) => l.trim()).at(-1) ?? (err as Error).message.split('\n')[0];
      peerNote = `peer skipped: the Python peer failed: ${cause}`;
    }
  } else {
    peerNote = withPeer ? 'peer skipped: tools/models/.venv is not set up (tools/models/setup.sh)' : 'peer skipped (--no-peer)';
  }

  const fmt = (n: number | null, digits = 1) => (n === null ? '-' : n.toFixed(digits));
  console.log(`pack ${pack.manifest.id} ${pack.manifest.version}, ${steps} steps, ${repeats} repeats of each (alternating, medians) after 3 warm-ups, ${os.availableParallelism()} cores, ${threads} threads for onnxruntime and torch\n`);
  console.log(['run'.padEnd(52), 'provider'.padEnd(10), 'ms/step'.padStart(9), 'ms/image'.padStart(10), 'run() ms'.padStart(10), 'worker JS'.padStart(10), 'call ms'.padStart(8), 'overhead'.padStart(9)].join(' '));
  for (const r of rows) {
    console.log(
      [r.label.padEnd(52), r.provider.padEnd(10), fmt(r.msPerStep).padStart(9), fmt(r.msPerImage).padStart(10), fmt(r.runMs).padStart(10), fmt(r.workerJsMs).padStart(10), fmt(r.callMs).padStart(8), (r.overhead === null ? '-' : `${(r.overhead * 100).toFixed(1)}%`).padStart(9)].join(' '),
    );
  }
  const [b, s, peer] = rows;
  console.log('(run() ms, worker JS and call ms are per render, i.e. for both images; run() ms is summed inside the worker)\n');
  console.log(`batched / sequential time: ${(b!.msPerImage / s!.msPerImage).toFixed(2)} (goal <= 0.65)`);
  console.log(`pipeline overhead, batched: ${(b!.overhead! * 100).toFixed(1)}% of session.run time (goal < 5%)`);
  if (peer) console.log(`speed-up over diffusers + PyTorch: ${(peer.msPerImage / b!.msPerImage).toFixed(2)}x per image (goal >= 2x)`);
  console.log(peerNote);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
