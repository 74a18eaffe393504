/**
 * `npm run bench:generate`: the garment engine's speed, printed as a table, for the default pack and
 * the toolchain's tiny pack (or the packs named).
 *
 *   npm run bench:generate -- [--pack DIR|ID|tiny]... [--provider cpu[,cuda...]] [--steps N] [--repeats R]
 *                             [--threads T] [--template NAME] [--swatch IMAGE] [--no-peer]
 *
 * Without --pack: the default pack (jinxiu-garment-default), then the tiny golden pack. Sizes (sketch,
 * swatch, latents, steps) all come from each pack's manifest.
 *
 * Inputs are what `jinxiu generate` feeds: a garment template from resources/templates rasterised by
 * the engine's own sketchFromFlat at the pack's sketch size, and a real swatch photo from the shared
 * textile tiles fitted by readSwatchFile at the pack's swatch size; the prompt names its fabric.
 *
 * For each pack and provider, three ways to make both images (alternating, medians): batched (one
 * render, one UNet pass of 4 rows a step), sequential (one render, two passes of 2 rows) and two runs
 * (two renders of one variant each); and the same pack's reference model run by diffusers + PyTorch
 * on CPU in the same benchmark run (scripts/bench-generate-peer.py, tools/models/.venv), at its best
 * thread count. Goals from the issue: pipeline overhead (wall time minus the summed raw session.run
 * times, over the latter) < 5%, batched <= 0.65 of two sequential runs, >= 2x faster than the peer.
 * The header prints the load average: on a shared machine it moves every figure.
 *
 * "worker JS" is the pipeline's own work inside the inference worker (guidance, scheduler, tensor
 * handling); "call" is everything outside the worker task: preparing the request on the main side
 * (tokens, pixels), its one round trip and the per-step progress messages.
 *
 * A real-size pack (SD 1.5 + IP-Adapter + ControlNet) is another benchmark, loaded in stages, with
 * seconds per step and per pair, peak memory and the FLOP bound of the cores (bench-generate-real.ts):
 *
 *   npm run bench:generate -- --real --pack DIR [--assemble SOURCES_DIR] [--sizes 512,384] [--steps 2] [--threads T]
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { loadFlat } from '../src/shared/flat';
import { GarmentGenerator, type GarmentRequest } from '../src/main/services/garment/generator';
import { VARIANTS } from '../src/main/services/garment/pipeline';
import { lineArtFromFlat, readSwatchFile, sketchFromFlat } from '../src/main/services/garment/inputs';
import { loadGarmentPack, type LoadedGarmentPack } from '../src/main/services/garment/pack';
import { TINY_PACK_DIR } from '../src/main/services/garment/testing/tiny-pack';
import { sharedData } from '../src/main/shared-data';
import { forkLauncher, InferenceWorker, type ProviderName } from '../src/main/workers';
import { PROVIDER_NAMES } from '../src/main/workers/protocol';
import { benchReal } from './bench-generate-real';

const repo = fileURLToPath(new URL('..', import.meta.url));
const MODELS_DIR = path.join(repo, 'resources/models');
const DEFAULT_PACK_ID = 'jinxiu-garment-default';

const text = { type: 'string' } as const;
const { values: args } = parseArgs({
  options: {
    pack: { type: 'string', multiple: true, default: [] },
    provider: { type: 'string', default: 'cpu' },
    steps: text,
    repeats: { type: 'string', default: '5' },
    threads: { type: 'string', default: String(os.availableParallelism()) },
    template: { type: 'string', default: 't-shirt' },
    swatch: { type: 'string', default: sharedData('textile_tiles', 'images', 'black_denim.png') },
    'no-peer': { type: 'boolean', default: false },
    real: { type: 'boolean', default: false },
    assemble: text,
    sizes: { type: 'string', default: '512,384' },
  },
});
const repeats = Number(args.repeats);
const threads = Number(args.threads);
const providers = args.provider.split(',') as ProviderName[];
const withPeer = !args['no-peer'];
const template = args.template;
const swatchFile = args.swatch;
const PROMPT = 'a black denim t-shirt with short sleeves';
for (const [name, n] of [['repeats', repeats], ['threads', threads]] as const) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of at least 1`);
}
for (const p of providers) if (!(PROVIDER_NAMES as readonly string[]).includes(p)) throw new Error(`--provider: "${p}" is not one of ${PROVIDER_NAMES.join(', ')}`);

/** A pack folder, a bundled pack's id (resources/models/*), or "tiny" for the toolchain's golden pack. */
function resolvePack(ref: string): string {
  if (ref === 'tiny') return TINY_PACK_DIR;
  if (fs.existsSync(path.join(ref, 'manifest.json'))) return path.resolve(ref);
  const candidates = [...fs.readdirSync(MODELS_DIR).map((d) => path.join(MODELS_DIR, d)), TINY_PACK_DIR];
  for (const dir of candidates) {
    const file = path.join(dir, 'manifest.json');
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { id?: string }).id === ref) return dir;
  }
  throw new Error(`--pack ${ref}: neither a pack folder nor the id of a pack in resources/models or the tiny golden pack`);
}

type Mode = 'batched' | 'sequential' | 'two runs';

interface Sample {
  /** The worker process's CPU time (all its threads) per mode's renders; empty where /proc is missing. */
  cpus: number[];
  walls: number[];
  runs: number[];
  tasks: number[];
  stepGaps: number[];
}

interface ModeResult {
  /** Per step, between progress events as the main side sees them. */
  msPerStep: number;
  /** Half the time for both images. */
  msPerImage: number;
  runMs: number;
  workerJsMs: number;
  callMs: number;
  overhead: number;
  /** The worker's CPU time for both images: unlike wall time, barely moved by other load on the machine. */
  cpuMs: number | null;
  /** Each repeat's wall time, in the order run (the modes alternate, so repeat i of two modes are neighbours). */
  walls: number[];
}

/** The median of a over b, paired repeat by repeat (neighbours in time, so under like load). */
function pairedRatio(a: ModeResult, b: ModeResult): number {
  return median(a.walls.map((w, i) => w / b.walls[i]!));
}

interface PackResult {
  pack: LoadedGarmentPack;
  dir: string;
  provider: string;
  steps: number;
  /** Null for a pack with a fixed UNet batch. */
  batched: ModeResult | null;
  sequential: ModeResult;
  twoRuns: ModeResult;
  /** What the peer needs to run the same render. */
  request: GarmentRequest;
}

/** A process's CPU time so far (user + system, all threads) from /proc, in ms; null off Linux. */
function cpuMsOf(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
/** USER_HZ: 100 on every Linux this runs on (the kernel ABI fixes it for /proc). */
const CLOCK_TICKS = 100;

/** Medians, not means: other work on a shared machine lands as a few long outliers. */
function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summarise(m: Sample): ModeResult {
  const wall = median(m.walls);
  const run = median(m.runs);
  const task = median(m.tasks);
  const cpuMs = m.cpus.length ? median(m.cpus) : null;
  // Overhead per repeat, then the median: a render's wall and run() times share its moment's load,
  // so their ratio is steadier on a busy machine than a ratio of separate medians.
  const overhead = median(m.walls.map((w, i) => (w - m.runs[i]!) / m.runs[i]!));
  return { msPerStep: median(m.stepGaps), msPerImage: wall / 2, runMs: run, workerJsMs: task - run, callMs: wall - task, overhead, cpuMs, walls: m.walls };
}

async function benchPack(dir: string, provider: ProviderName): Promise<PackResult> {
  const worker = new InferenceWorker({ launch: forkLauncher(), providers: () => [provider] });
  try {
    const pack = await loadGarmentPack(dir, worker, { executionProviders: [provider], intraOpNumThreads: threads });
    const g = pack.garment;
    const steps = Number(args.steps ?? g.defaults.steps);
    const flat = loadFlat(JSON.parse(fs.readFileSync(path.join(repo, 'resources/templates', `${template}.json`), 'utf8')));
    const request: GarmentRequest = {
      prompt: PROMPT,
      sketch: await sketchFromFlat(flat, g.preprocess.sketch),
      swatch: (await readSwatchFile(swatchFile, g.preprocess.swatch)).image,
      steps,
      seed: 3,
    };
    // A pack with a line-art ControlNet gets the flat's line art, as `jinxiu generate` gives it.
    if (g.graphs.controlnet && g.preprocess.control) request.lineArt = await lineArtFromFlat(flat, g.preprocess.control, g.defaults.width, g.defaults.height);
    const generator = new GarmentGenerator(pack);
    const canBatch = pack.dynamicBatch('unet', 'sample');
    // 'batched': both variants in one render, one UNet pass of 4 rows a step. 'sequential': one
    // render, two UNet passes of 2 rows a step (the fallback for a fixed-batch pack). 'two runs': the
    // variants as two renders one after the other, each with its own encoders, decode and round trip,
    // which is what a studio without the batching would do.
    const modes: Mode[] = canBatch ? ['batched', 'sequential', 'two runs'] : ['sequential', 'two runs'];
    const renders = (mode: Mode): GarmentRequest[] =>
      mode === 'two runs'
        ? VARIANTS.map((v) => ({ ...request, variants: [v] }))
        : [{ ...request, batched: mode === 'batched' }];
    // Warm every mode up first (the first renders allocate and compile, in both processes), then
    // alternate them so that load from elsewhere on the machine falls on all alike.
    for (let w = 0; w < 3; w++) for (const mode of modes) for (const one of renders(mode)) await generator.generate(one);
    const samples = new Map<Mode, Sample>(modes.map((m) => [m, { cpus: [], walls: [], runs: [], tasks: [], stepGaps: [] }]));
    const { pid } = await worker.ping();
    for (let r = 0; r < repeats; r++) {
      for (const mode of modes) {
        const m = samples.get(mode)!;
        let wall = 0;
        let run = 0;
        let task = 0;
        const cpuBefore = cpuMsOf(pid);
        for (const one of renders(mode)) {
          let last = 0;
          const start = performance.now();
          const { timings } = await generator.generateTimed(one, {
            onStep: (step) => {
              const now = performance.now();
              if (step > 1) m.stepGaps.push(now - last);
              last = now;
            },
          });
          wall += performance.now() - start;
          run += timings.runMs;
          task += timings.taskMs;
        }
        const cpuAfter = cpuMsOf(pid);
        if (cpuBefore !== null && cpuAfter !== null) m.cpus.push(cpuAfter - cpuBefore);
        m.walls.push(wall);
        m.runs.push(run);
        m.tasks.push(task);
      }
    }
    const result = (mode: Mode) => (samples.has(mode) ? summarise(samples.get(mode)!) : null);
    await pack.unload();
    return { pack, dir, provider: pack.sessions.unet?.provider ?? provider, steps, batched: result('batched'), sequential: result('sequential')!, twoRuns: result('two runs')!, request };
  } finally {
    await worker.shutdown();
  }
}

interface Peer {
  /** Null when the torch graphs are not the pack's (see sameArchitecture): nothing was timed. */
  msPerImage: number | null;
  msPerStep: number | null;
  torchThreads: number;
  torch: string;
  weights: string;
  /** Whether every named weight of the torch graphs has the pack's shape (else the timing compares other networks). */
  sameArchitecture: boolean;
  triedThreads: Record<string, number>;
  maxAbsDiffFromOnnx: number | null;
}

/** The same render by diffusers + PyTorch, through the toolchain's reference pipeline. */
async function runPeer(r: PackResult): Promise<Peer | string> {
  const python = path.join(repo, 'tools/models/.venv/bin/python');
  if (!withPeer) return 'skipped (--no-peer)';
  if (!fs.existsSync(python)) return 'skipped: tools/models/.venv is not set up (tools/models/setup.sh)';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-bench-peer-'));
  try {
    // The very pixels this run fed, so both sides encode the same sketch and swatch.
    const sketch = r.request.sketch;
    const swatch = r.request.swatch!;
    fs.writeFileSync(path.join(tmp, 'sketch.rgb'), sketch.data);
    fs.writeFileSync(path.join(tmp, 'swatch.rgb'), swatch.data);
    const fabric = new GarmentGenerator(r.pack).prepare(r.request).fabric?.label ?? null;
    const spec = { prompt: r.request.prompt, fabric, sketchSize: sketch.width, swatchSize: swatch.width, steps: r.steps, seed: r.request.seed };
    fs.writeFileSync(path.join(tmp, 'request.json'), JSON.stringify(spec));
    const { stdout } = await promisify(execFile)(
      python,
      [path.join(repo, 'scripts/bench-generate-peer.py'), '--pack', r.dir, '--request', tmp, '--repeats', String(repeats), '--threads', [...new Set([1, threads])].join(',')],
      { cwd: repo, maxBuffer: 16 * 1024 * 1024 },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as Peer;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    const cause = stderr.trim().split('\n').filter((l) => l.trim()).at(-1) ?? (err as Error).message.split('\n')[0];
    return `skipped: the Python peer failed: ${cause}`;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? '-' : n.toFixed(digits));
const pct = (n: number | null | undefined) => (n === null || n === undefined ? '-' : `${(n * 100).toFixed(1)}%`);

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

async function main(): Promise<void> {
  if (args.real) {
    const pack = args.pack[0];
    if (!pack) throw new Error('--real needs --pack DIR (an assembled real-size pack, or where to assemble one with --assemble SOURCES_DIR)');
    const sizes = args.sizes.split(',').map(Number);
    if (sizes.some((s) => !Number.isInteger(s) || s < 64 || s % 64 !== 0)) throw new Error('--sizes: whole multiples of 64 px, e.g. 512,384');
    const steps = Number(args.steps ?? 2);
    if (!Number.isInteger(steps) || steps < 2) throw new Error('--steps must be at least 2 for --real (the first step also loads the loop)');
    const assembleFrom = args.assemble;
    await benchReal({ pack, sizes, steps, threads, template, ...(assembleFrom ? { assembleFrom } : {}) });
    return;
  }
  const loadAtStart = os.loadavg()[0]!;
  const packDirs = (args.pack.length ? args.pack : [DEFAULT_PACK_ID, 'tiny']).map(resolvePack);
  const results: { r: PackResult; peer: Peer | string }[] = [];
  for (const dir of packDirs) {
    for (const provider of providers) {
      const r = await benchPack(dir, provider);
      // The peer runs after the worker is gone, so the two never share the cores.
      results.push({ r, peer: provider === providers[0] ? await runPeer(r) : 'see the first provider' });
    }
  }

  console.log(
    `${repeats} repeats of each mode (alternating, medians) after 3 warm-ups; ${os.availableParallelism()} cores, load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end; ` +
      `${threads} onnxruntime threads, torch at its best of ${[...new Set([1, threads])].join(' or ')}; ` +
      `template ${template}, swatch ${path.basename(swatchFile)}, prompt "${PROMPT}"\n`,
  );
  const detail: string[][] = [];
  for (const { r } of results) {
    const modes: [string, ModeResult | null][] = [
      ['batched: 1 render, 1 UNet pass of 4', r.batched],
      ['sequential: 1 render, 2 passes of 2', r.sequential],
      ['two runs: 2 renders of 1 variant', r.twoRuns],
    ];
    for (const [label, m] of modes) {
      if (!m) continue;
      detail.push([`${r.pack.manifest.id}`, r.provider, label, fmt(m.msPerStep, 2), fmt(m.msPerImage), fmt(m.runMs), fmt(m.workerJsMs, 2), fmt(m.callMs, 2), pct(m.overhead), fmt(m.cpuMs, 0)]);
    }
  }
  table(['pack', 'provider', 'mode', 'ms/step', 'ms/image', 'run() ms', 'worker JS', 'call ms', 'overhead', 'worker CPU ms'], detail);
  console.log('(run() ms, worker JS, call ms and worker CPU ms are for both images; run() ms is the sum of raw session.run times inside the worker; ms/step is between progress events; worker CPU ms is in 10 ms ticks)\n');

  const summary: string[][] = [];
  const notes: string[] = [];
  for (const { r, peer } of results) {
    // The fastest way this pack makes both images: batched when its UNet takes a dynamic batch.
    const b = r.batched ?? r.sequential;
    const p = typeof peer === 'string' || peer.msPerImage === null ? null : { ...peer, msPerImage: peer.msPerImage };
    summary.push([
      `${r.pack.manifest.id} ${r.pack.manifest.version}`,
      r.provider,
      String(r.steps),
      fmt(b.msPerStep, 2),
      fmt(b.msPerImage),
      pct(b.overhead),
      r.batched ? fmt(pairedRatio(r.batched, r.sequential), 2) : '-',
      fmt(pairedRatio(b, r.twoRuns), 2),
      b.cpuMs !== null && r.twoRuns.cpuMs ? fmt(b.cpuMs / r.twoRuns.cpuMs, 2) : '-',
      p ? `${fmt(p.msPerImage)} (torch ${p.torch}, ${p.torchThreads} thr)` : '-',
      p ? `${(p.msPerImage / b.msPerImage).toFixed(1)}x` : '-',
    ]);
    notes.push(
      `${r.pack.manifest.id}: peer ${typeof peer === 'string' ? peer : `weights ${peer.weights}; ms for one image by threads ${JSON.stringify(peer.triedThreads)}${peer.maxAbsDiffFromOnnx === null ? '' : `, image vs onnxruntime max abs diff ${peer.maxAbsDiffFromOnnx.toExponential(2)}`}`}`,
    );
  }
  table(['pack', 'provider', 'steps', 'ms/step', 'ms/image', 'overhead', 'batched/seq', 'batched/2 runs', '(in CPU time)', 'peer ms/image (torch cpu)', 'speed-up'], summary);
  console.log('goals: overhead < 5%, batched <= 0.65 of two sequential runs, speed-up >= 2x (figures of the batched mode;');
  console.log('overhead and the ratios are medians over repeats of per-repeat values; ms columns are medians of their own)');
  for (const n of notes) console.log(n);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
