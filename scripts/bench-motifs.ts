/**
 * `npm run bench:motifs`: query latency of the motif vector index against numpy float32 brute force
 * over the same matrix, in the same run, on this machine. Prints a table.
 *
 *   flat    N stored vectors of dimension 512, each its own item (10k, 100k, 1M).
 *   laclip  N/10 motifs, each a global embedding and 9 crops = N stored vectors; the index scans one
 *           combined vector per motif (LACLIP's score is linear in the text embedding) and looks at
 *           the crops of the top 10 only, for the best-matching crop.
 *
 * Vectors are synthetic: unit vectors in 1024 clusters (a collection's embeddings are clustered),
 * crops near their image's global vector, queries near a cluster centre. float32 vectors are written
 * to a temp file that numpy reads and the index re-ranks from (preads), so the index keeps only int8
 * codes in memory.
 *
 * Then indexing throughput (bench-motifs-indexing.ts): images per second through the studio's whole
 * LACLIP indexing path with the default motif pack, on the shared heritage_motifs photos.
 *
 * The numpy peer is PyPI's OpenBLAS wheel in a bench-only venv (scripts/bench-venv.sh, made on first
 * use; `npm run bench:setup` makes it ahead), held to the same thread count as the index's scan.
 *
 * Options: --sizes 10000,100000,1000000  --queries 200  --threads 2  --modes flat,laclip,indexing
 *          --python <exe> (another numpy peer)  --pack <motif pack dir>
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { indexingThroughput } from './bench-motifs-indexing';
import { Int8VectorIndex, type RowReader } from '../src/main/services/motif/index/int8-index';
import { bestCrop, combinedVector, cropWeights } from '../src/main/services/motif/index/laclip';
import { gaussian, rng, unitNear } from '../src/main/services/motif/index/test-vectors';

const DIM = 512;
const K = 10;
const CROPS = 9;
const BETA = 0.5;
const TAU = 0.1;
const CLUSTERS = 1024;
const CHUNK_ROWS = 4096;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const sizes = arg('sizes', '10000,100000,1000000').split(',').map(Number);
const queryCount = Number(arg('queries', '200'));
const threads = Number(arg('threads', String(Math.min(2, os.availableParallelism()))));
const modes = arg('modes', 'flat,laclip,indexing').split(',');
const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The numpy peer: --python or $PYTHON if given, else the bench venv with PyPI's OpenBLAS numpy,
 * made on demand by scripts/bench-venv.sh (Debian's numpy links the reference BLAS, a weak peer).
 */
function findPython(): string {
  const given = arg('python', '') || process.env.PYTHON;
  if (given) {
    if (spawnSync(given, ['-c', 'import numpy'], { stdio: 'ignore' }).status !== 0) throw new Error(`${given} cannot import numpy.`);
    return given;
  }
  const made = spawnSync('bash', [path.join(here, 'bench-venv.sh')], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (made.status !== 0) throw new Error('scripts/bench-venv.sh could not make the numpy peer (pip needs PyPI); or pass --python <exe> with numpy.');
  return made.stdout.toString().trim().split('\n').at(-1)!;
}

/** Appends float32 rows to a file, a chunk at a time. */
class RowFile {
  private readonly fd: number;
  private readonly chunk = new Float32Array(CHUNK_ROWS * DIM);
  private filled = 0;
  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }
  push(row: Float32Array): void {
    this.chunk.set(row, this.filled * DIM);
    if (++this.filled === CHUNK_ROWS) this.flush();
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
  private flush(): void {
    if (this.filled === 0) return;
    fs.writeSync(this.fd, new Uint8Array(this.chunk.buffer, 0, this.filled * DIM * 4));
    this.filled = 0;
  }
}

function preader(file: string): { read: RowReader; close(): void } {
  const fd = fs.openSync(file, 'r');
  return {
    read: (row, into) => {
      fs.readSync(fd, new Uint8Array(into.buffer, into.byteOffset, DIM * 4), 0, DIM * 4, row * DIM * 4);
    },
    close: () => fs.closeSync(fd),
  };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const mib = (b: number) => `${(b / 1024 ** 2).toFixed(0)} MiB`;

interface Row {
  mode: string;
  stored: number;
  items: number;
  p50: number;
  p95: number;
  npP50: number;
  npP95: number;
  exact: number;
  indexBytes: number;
  npBytes: number;
  buildS: number;
  helperShare: number;
}

async function bench(mode: 'flat' | 'laclip', stored: number, python: string, dir: string): Promise<Row> {
  const normal = gaussian(rng(stored + (mode === 'flat' ? 1 : 2)));
  const pick = rng(stored * 7 + 3);
  const centres = Array.from({ length: CLUSTERS }, () => unitNear(new Float32Array(DIM), null, 1, normal));
  const spread = 1.2 / Math.sqrt(DIM);
  const vectorsFile = path.join(dir, `${mode}-${stored}.f32`);
  const out = new RowFile(vectorsFile);
  const row = new Float32Array(DIM);
  const started = performance.now();
  let index: Int8VectorIndex;
  let combinedFile: string | null = null;
  let weightsFile: string | null = null;
  const items = mode === 'flat' ? stored : stored / (CROPS + 1);
  if (mode === 'flat') {
    index = Int8VectorIndex.fromRows(items, DIM, () => {
      unitNear(row, centres[Math.floor(pick() * CLUSTERS)]!, spread, normal);
      out.push(row);
      return row;
    }, { threads });
  } else {
    combinedFile = path.join(dir, `combined-${stored}.f32`);
    weightsFile = path.join(dir, `weights-${stored}.f32`);
    const combinedOut = new RowFile(combinedFile);
    const weightsFd = fs.openSync(weightsFile, 'w');
    const global = new Float32Array(DIM);
    const crops = Array.from({ length: CROPS }, () => new Float32Array(DIM));
    index = Int8VectorIndex.fromRows(items, DIM, () => {
      unitNear(global, centres[Math.floor(pick() * CLUSTERS)]!, spread, normal);
      for (const c of crops) unitNear(c, global, 1.5 / Math.sqrt(DIM), normal);
      const w = cropWeights(global, crops, TAU);
      out.push(global);
      for (const c of crops) out.push(c);
      fs.writeSync(weightsFd, new Uint8Array(Float32Array.from(w).buffer));
      // numpy gets the float32 weights; the combined vector uses the same rounded values.
      const c = combinedVector(global, crops, Float32Array.from(w), BETA);
      combinedOut.push(c);
      return c;
    }, { threads });
    combinedOut.close();
    fs.closeSync(weightsFd);
  }
  out.close();
  const buildS = (performance.now() - started) / 1000;

  const queriesFile = path.join(dir, `queries-${mode}-${stored}.f32`);
  const queries = Array.from({ length: queryCount }, () => unitNear(new Float32Array(DIM), centres[Math.floor(pick() * CLUSTERS)]!, 2 / Math.sqrt(DIM), normal));
  fs.writeFileSync(queriesFile, new Uint8Array(Float32Array.from(queries.flatMap((q) => Array.from(q))).buffer));

  const npArgs = [path.join(here, 'bench-motifs.py'), String(threads), mode, vectorsFile, queriesFile, String(DIM), String(K)];
  if (mode === 'laclip') npArgs.push(weightsFile!, String(BETA), String(CROPS));
  const np = JSON.parse(execFileSync(python, npArgs, { maxBuffer: 256 * 1024 ** 2 }).toString()) as { times_ms: number[]; tops: number[][]; matrix_bytes: number };

  const rerank = preader(combinedFile ?? vectorsFile);
  // A motif's crops are rows 1..9 after its global vector: one read of all nine, as a store that keeps
  // them together would do.
  const cropsFd = fs.openSync(vectorsFile, 'r');
  const cropBlock = new Float32Array(CROPS * DIM);
  const cropViews = Array.from({ length: CROPS }, (_, j) => cropBlock.subarray(j * DIM, (j + 1) * DIM));
  const times: number[] = [];
  let exact = 0;
  // Warm up the JIT and the page cache as numpy's first queries warm its own.
  await index.search(queries[0]!, K, rerank.read);
  for (let q = 0; q < queries.length; q++) {
    const t0 = performance.now();
    const hits = await index.search(queries[q]!, K, rerank.read);
    if (mode === 'laclip') {
      for (const h of hits) {
        fs.readSync(cropsFd, new Uint8Array(cropBlock.buffer), 0, cropBlock.byteLength, (h.row * (CROPS + 1) + 1) * DIM * 4);
        bestCrop(cropViews, queries[q]!);
      }
    }
    times.push(performance.now() - t0);
    const ours = new Set(hits.map((h) => h.row));
    if (np.tops[q]!.every((r) => ours.has(r))) exact++;
  }
  rerank.close();
  fs.closeSync(cropsFd);
  const result: Row = {
    mode,
    stored,
    items,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    npP50: percentile(np.times_ms, 50),
    npP95: percentile(np.times_ms, 95),
    exact: exact / queries.length,
    indexBytes: index.memoryBytes,
    npBytes: np.matrix_bytes,
    buildS,
    helperShare: index.helperShare,
  };
  index.close();
  for (const f of [vectorsFile, queriesFile, combinedFile, weightsFile]) if (f) fs.rmSync(f, { force: true });
  return result;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

async function main(): Promise<void> {
  const vectorModes = modes.filter((m): m is 'flat' | 'laclip' => m === 'flat' || m === 'laclip');
  const header = ['mode', 'stored vectors', 'index rows', 'p50 ms', 'p95 ms', 'numpy p50', 'numpy p95', 'exact top10', 'index mem', 'numpy mem', 'build s', 'helper chunks'];
  const rows: string[][] = [];
  if (vectorModes.length > 0) {
    const python = findPython();
    const peer = JSON.parse(execFileSync(python, [path.join(here, 'bench-motifs.py'), String(threads), '--info']).toString()) as { numpy: string; numpy_path: string; blas: string };
    console.log(`motif vector index: dim ${DIM}, top ${K}, ${queryCount} queries, ${threads} scan threads, ${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}, node ${process.version}`);
    console.log(`numpy peer: numpy ${peer.numpy} (${peer.numpy_path}), BLAS ${peer.blas}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-bench-motifs-'));
    try {
      for (const stored of sizes) {
        for (const mode of vectorModes) {
          const r = await bench(mode, stored, python, dir);
          rows.push([
            r.mode,
            String(r.stored),
            String(r.items),
            r.p50.toFixed(1),
            r.p95.toFixed(1),
            r.npP50.toFixed(1),
            r.npP95.toFixed(1),
            `${(r.exact * 100).toFixed(1)}%`,
            mib(r.indexBytes),
            mib(r.npBytes),
            r.buildS.toFixed(1),
            `${(r.helperShare * 100).toFixed(0)}%`,
          ]);
          console.error(`done: ${mode} ${stored}`);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (rows.length > 0) {
    printTable(header, rows);
    console.log(`rss after: ${mib(process.memoryUsage().rss)}`);
  }
  if (modes.includes('indexing')) {
    const packDir = path.resolve(arg('pack', path.join(here, '..', 'resources', 'models', 'motif-default')));
    const r = await indexingThroughput(packDir);
    console.log(`\nindexing: pack ${r.pack}, provider ${r.provider}, ${os.availableParallelism()} cores`);
    console.log(`| images | failed | views per image | seconds | images/s | views/s |`);
    console.log(`|--------|--------|-----------------|---------|----------|---------|`);
    console.log(`| ${r.images} | ${r.failed} | ${r.views} (whole + ${r.views - 1} crops) | ${r.seconds.toFixed(1)} | ${r.imagesPerSecond.toFixed(2)} | ${(r.imagesPerSecond * r.views).toFixed(1)} |`);
  }
}

await main();
