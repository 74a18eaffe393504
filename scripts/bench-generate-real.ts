/**
 * `npm run bench:generate -- --real --pack DIR [--sizes 512,384] [--steps 2] [--threads T]`: a real-size
 * garment pack (SD 1.5 + IP-Adapter + line-art ControlNet, e.g. assembled from random weights in the
 * public layouts: tools/models/recipes/random_sources.py, then `--assemble SOURCES_DIR`) loaded in stages
 * (LoadPackOptions.staged) on this machine's cores. For each size, in a fresh worker so that its peak
 * memory is its own:
 *   - the pack load (each graph checked against the manifest, then released) and its peak RSS;
 *   - a render of both variants with classifier-free guidance (the DDIM recipe, guidance 7.5: one UNet
 *     and ControlNet pass of 4 rows a step) and its peak RSS;
 *   - a render of one variant (2 rows a step): the cost of a step of the LCM recipe at guidance 1, whose
 *     both variants need the positive rows only, one batch of 2, and its peak RSS.
 * A few steps each: seconds per step are the medians of the gaps between step events after the first
 * (the first also loads the loop's sessions), and the once-per-pair cost is the render's wall time minus
 * its steps (encoders, the stage loads and releases, the decode). Seconds per pair at a recipe's default
 * steps are computed from those two. Beside them, the FLOP bound: UNet + ControlNet GFLOPs per row
 * (scripts/bench-generate-flops.py, counted on diffusers' modules) over the cores' peak, measured as the
 * best of a 2048^3 MatMul in onnxruntime-node with the same threads.
 *
 * A preview size other than the pack's own runs on a view of the pack: a folder of hard links to its
 * files with the manifest's default width and height changed (nothing is copied, the pack is untouched).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ort from 'onnxruntime-node';
import { loadFlat } from '../src/shared/flat';
import { GarmentGenerator, type GarmentRequest } from '../src/main/services/garment/generator';
import { lineArtFromFlat, sketchFromFlat } from '../src/main/services/garment/inputs';
import { loadGarmentPack } from '../src/main/services/garment/pack';
import { assemblePack } from '../src/main/services/models/assembly/assemble-pack';
import { forkLauncher, InferenceWorker } from '../src/main/workers';

const repo = fileURLToPath(new URL('..', import.meta.url));
const PYTHON = path.join(repo, 'tools/models/.venv/bin/python');
const PROMPT = 'a black denim t-shirt with short sleeves';
/** The recipes' defaults (resources/models/recipes/*\/recipe.json): DDIM 30 steps at 7.5, LCM 8 at 1. */
const RECIPES = [
  { name: 'DDIM (sd15-garment)', steps: 30, guidance: 7.5, rows: 4 },
  { name: 'LCM (sd15-garment-lcm)', steps: 8, guidance: 1, rows: 2 },
] as const;

export interface RealOptions {
  pack: string;
  sizes: number[];
  steps: number;
  threads: number;
  template: string;
  /** Assemble the pack into `pack` first from these public-layout sources (checkpoint, ip_adapter, image_encoder, controlnet). */
  assembleFrom?: string;
}

/** Peak and current RSS of a process in MB, from /proc (null off Linux). */
function memoryOf(pid: number): { hwm: number; rss: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
  } catch {
    return null;
  }
}

/** Starts a new peak-RSS window for the process (Linux: writing 5 to clear_refs resets VmHWM). */
function resetPeak(pid: number): void {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Without it the peaks are cumulative; the load comes first and the 4-row render is the biggest.
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The pack at another default size: hard links (symlinks across file systems) and an edited manifest. */
function packView(dir: string, size: number): { dir: string; dispose: () => void } {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { garment: { defaults: { width: number; height: number } } };
  if (manifest.garment.defaults.width === size && manifest.garment.defaults.height === size) return { dir, dispose: () => undefined };
  const view = fs.mkdtempSync(path.join(path.dirname(path.resolve(dir)), `.bench-view-${size}-`));
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const from = path.join(entry.parentPath, entry.name);
    const to = path.join(view, path.relative(dir, from));
    if (entry.isDirectory()) fs.mkdirSync(to, { recursive: true });
    else if (entry.name !== 'manifest.json' || entry.parentPath !== dir) {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      try {
        fs.linkSync(from, to);
      } catch {
        fs.symlinkSync(path.resolve(from), to);
      }
    }
  }
  manifest.garment.defaults.width = size;
  manifest.garment.defaults.height = size;
  fs.writeFileSync(path.join(view, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { dir: view, dispose: () => fs.rmSync(view, { recursive: true, force: true }) };
}

interface Render {
  wallS: number;
  stepS: number;
  onceS: number;
  loadS: number;
  peakMB: number | null;
}

interface SizeResult {
  size: number;
  loadS: number;
  loadPeakMB: number | null;
  pair: Render;
  twoRows: Render;
}

async function benchSize(dir: string, size: number, o: RealOptions): Promise<SizeResult> {
  const view = packView(dir, size);
  const worker = new InferenceWorker({ launch: forkLauncher(), providers: () => ['cpu'] });
  try {
    const { pid } = await worker.ping();
    resetPeak(pid);
    const t0 = performance.now();
    const pack = await loadGarmentPack(view.dir, worker, { staged: true, intraOpNumThreads: o.threads, verifyHashes: false });
    const loadS = (performance.now() - t0) / 1000;
    const loadPeakMB = memoryOf(pid)?.hwm ?? null;
    const g = pack.garment;
    const flat = loadFlat(JSON.parse(fs.readFileSync(path.join(repo, 'resources/templates', `${o.template}.json`), 'utf8')));
    const request: GarmentRequest = {
      prompt: PROMPT,
      sketch: await sketchFromFlat(flat, g.preprocess.sketch),
      steps: o.steps,
      seed: 3,
      ...(g.graphs.controlnet && g.preprocess.control ? { lineArt: await lineArtFromFlat(flat, g.preprocess.control, g.defaults.width, g.defaults.height) } : {}),
    };
    const generator = new GarmentGenerator(pack);
    const render = async (r: GarmentRequest): Promise<Render> => {
      resetPeak(pid);
      const stamps: number[] = [];
      const start = performance.now();
      const { timings } = await generator.generateTimed(r, { onStep: () => stamps.push(performance.now()) });
      const wallS = (performance.now() - start) / 1000;
      const gaps = stamps.slice(1).map((s, i) => (s - stamps[i]!) / 1000);
      const stepS = gaps.length ? median(gaps) : NaN;
      return { wallS, stepS, onceS: wallS - stepS * stamps.length, loadS: timings.loadMs / 1000, peakMB: memoryOf(pid)?.hwm ?? null };
    };
    const pair = await render({ ...request, batched: true });
    console.error(`  ${size} px: load ${loadS.toFixed(1)} s (peak ${loadPeakMB?.toFixed(0)} MB); both variants, ${o.steps} steps of 4 rows: ${JSON.stringify(pair)}`);
    const twoRows = await render({ ...request, variants: ['imageBiased'] });
    console.error(`  ${size} px: one variant, ${o.steps} steps of 2 rows: ${JSON.stringify(twoRows)}`);
    await pack.unload();
    return { size, loadS, loadPeakMB, pair, twoRows };
  } finally {
    await worker.shutdown();
    view.dispose();
  }
}

interface Flops {
  perRow: Record<string, { unet: number; controlnet: number }>;
  matmul: { file: string; n: number };
}

/** The cores' peak in onnxruntime: the best of a few square MatMuls with the bench's threads. */
async function matmulGflops(file: string, n: number, threads: number): Promise<number> {
  const session = await ort.InferenceSession.create(file, { intraOpNumThreads: threads, executionProviders: ['cpu'] });
  const a = new ort.Tensor('float32', Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5), [n, n]);
  // Best of many: a single run is a quarter of a second, and any other work on the cores shows as a slow one.
  let best = Infinity;
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await session.run({ a, b: a });
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  await session.release();
  return (2 * n ** 3) / best / 1e9;
}

async function assemble(sources: string, out: string): Promise<void> {
  const files = Object.fromEntries(['checkpoint', 'ip_adapter', 'image_encoder', 'controlnet'].map((r) => [r, path.join(sources, `${r}.safetensors`)]));
  const t = performance.now();
  await assemblePack({ recipeDir: path.join(repo, 'resources/models/recipes/sd15-garment'), files, outDir: out });
  console.error(`assembled ${out} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
}

const f = (n: number | null | undefined, d = 1) => (n === null || n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d));

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

export async function benchReal(o: RealOptions): Promise<void> {
  if (o.assembleFrom && !fs.existsSync(path.join(o.pack, 'manifest.json'))) await assemble(o.assembleFrom, o.pack);
  if (!fs.existsSync(path.join(o.pack, 'manifest.json'))) throw new Error(`--pack ${o.pack}: no manifest.json (assemble one with --assemble SOURCES_DIR)`);
  const loadAtStart = os.loadavg()[0]!;
  const latents = o.sizes.map((s) => s / 8);
  const matmulFile = path.join(os.tmpdir(), `jinxiu-bench-matmul-${process.pid}.onnx`);
  const { stdout } = await promisify(execFile)(PYTHON, [path.join(repo, 'scripts/bench-generate-flops.py'), '--latents', latents.join(','), '--matmul', matmulFile], { cwd: repo });
  const flops = JSON.parse(stdout.trim().split('\n').at(-1)!) as Flops;
  const peak = await matmulGflops(matmulFile, flops.matmul.n, o.threads);
  fs.rmSync(matmulFile, { force: true });
  console.error(`GFLOP per row ${JSON.stringify(flops.perRow)}; cores' peak ${peak.toFixed(1)} GFLOP/s`);

  const results: SizeResult[] = [];
  for (const size of o.sizes) results.push(await benchSize(o.pack, size, o));

  console.log(
    `\nreal-size pack ${o.pack}: staged loading, ${o.threads} onnxruntime threads on ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'cpu'}); ` +
      `${o.steps} steps per render; load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end\n` +
      `cores' peak: ${peak.toFixed(1)} GFLOP/s (best ${flops.matmul.n}^3 MatMul in onnxruntime-node, ${o.threads} threads)\n`,
  );
  const rows: string[][] = [];
  for (const r of results) {
    const per = flops.perRow[String(r.size / 8)]!;
    const perRow = per.unet + per.controlnet;
    for (const recipe of RECIPES) {
      const m = recipe.rows === 4 ? r.pair : r.twoRows;
      const bound = (perRow * recipe.rows) / peak;
      // Once per pair: encoders, stage loads and releases, decode; the pair render's (both variants decoded).
      const pairS = r.pair.onceS + recipe.steps * m.stepS;
      rows.push([
        `${r.size} px`,
        recipe.name,
        `${recipe.steps} x ${recipe.rows} rows`,
        f(perRow, 0),
        f(bound, 1),
        f(m.stepS, 1),
        `${((bound / m.stepS) * 100).toFixed(0)}%`,
        f(r.pair.onceS, 1),
        f(r.pair.loadS, 1),
        f(pairS, 0),
        f(m.peakMB !== null ? m.peakMB / 1024 : null, 2),
      ]);
    }
  }
  table(['size', 'recipe', 'steps', 'GFLOP/row', 'bound s/step', 's/step', 'of bound', 'once/pair s', '(loads s)', 's/pair', 'peak GB'], rows);
  console.log(
    'GFLOP/row: UNet + ControlNet, one pass of one batch row. bound s/step: rows x GFLOP/row over the cores\' peak. s/step: measured (median gap between\n' +
      'step events after the first). once/pair: the both-variant render minus its steps (encoders, stage loads and releases, decode; "loads" is the\n' +
      'session-creation part of it). s/pair = once/pair + steps x s/step. peak GB: the inference worker\'s peak RSS during that render (VmHWM).\n' +
      'LCM rows: 2 is one batch of the two positive rows (at guidance 1 the pipeline runs no negative rows).',
  );
  table(
    ['size', 'pack load s', 'load peak GB', 'pair render s', `1-variant render s`],
    results.map((r) => [`${r.size} px`, f(r.loadS, 1), f(r.loadPeakMB !== null ? r.loadPeakMB / 1024 : null, 2), f(r.pair.wallS, 1), f(r.twoRows.wallS, 1)]),
  );
}
