/**
 * Colorway render speed: `npm run bench:render [-- --runs N --template shirt]`.
 * Prints p50/p95 of one colorway at 512, 1024 and 2048 px (long side), shaded, from two real tiles,
 * and of a batch of 8 colorways at 1024 px in one call. Not a test: figures go in the report.
 */
import os from 'node:os';
import { ColorwayRenderer, imageFabrics, loadFlatArgument } from '../src/main/services/render';
import type { Palette } from '../src/shared/contract/render';
import { DENIM, GOLDEN, PLAID } from '../src/main/services/render/golden/spec';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Timings {
  wall: number[];
  /** CPU time of the whole process (all threads), ms: on a shared, loaded machine the fairer figure. */
  cpu: number[];
}

async function timeIt(runs: number, fn: () => Promise<unknown>): Promise<Timings> {
  await fn(); // warm-up: tile decode, fonts, code paths
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

async function main(): Promise<void> {
  const runs = Number(arg('runs', '20'));
  const template = arg('template', GOLDEN.template);
  const doc = await loadFlatArgument(template);
  const renderer = new ColorwayRenderer(await imageFabrics(GOLDEN.tiles));
  const palette = GOLDEN.palette;
  const batch: Palette[] = [
    palette,
    { all: PLAID },
    { all: DENIM },
    { all: '#1f2a44' },
    { ...palette, all: PLAID },
    { all: DENIM, 'front-collar-12': PLAID },
    { all: '#b03a2e' },
    { all: PLAID, 'front-pocket-25': DENIM },
  ];

  const rows: Array<[string, Timings, number]> = [];
  for (const size of [512, 1024, 2048]) rows.push([`1 colorway ${size} px`, await timeIt(runs, () => renderer.render(doc, palette, { size })), 1]);
  rows.push(['batch of 8, 1024 px', await timeIt(Math.max(3, Math.floor(runs / 4)), () => renderer.renderBatch(doc, batch, { size: 1024 })), 8]);

  const load = os.loadavg()[0]!.toFixed(1);
  process.stdout.write(
    `template ${template}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load ${load}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}, node ${process.version}\n\n`,
  );
  const cols = ['runs', 'wall p50', 'wall p95', 'cpu p50', 'cpu p95', 'wall/colorway'];
  process.stdout.write(`${'case (ms)'.padEnd(22)}${cols.map((c) => c.padStart(14)).join('')}\n`);
  for (const [name, t, n] of rows) {
    const cells = [String(t.wall.length), ...[t.wall, t.cpu].flatMap((x) => [percentile(x, 50), percentile(x, 95)]).map((v) => v.toFixed(1)), (percentile(t.wall, 50) / n).toFixed(1)];
    process.stdout.write(`${name.padEnd(22)}${cells.map((c) => c.padStart(14)).join('')}\n`);
  }
}

void main();
