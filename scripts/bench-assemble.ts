/**
 * Pack assembly speed and memory: `npm run bench:assemble [-- --gb 2 --runs 3 --dir /tmp --cases stream,copy,copy-sha]`.
 * Writes a synthetic checkpoint of `--gb` GB of F16 tensors (1280x1280x3x3, the biggest SD 1.5 shape),
 * then, each in its own process so that its peak RSS is its own, assembles it into float32 external
 * data three ways and copies the same number of bytes plainly (once as is, once hashing them with
 * sha256 as the assembler does), and prints a table of medians over `--runs` rounds. Not a test:
 * figures go in the report. Needs about 3 x --gb of free disk, and deletes it all at the end.
 *
 * `--layout sd15` instead assembles the shipped sd15-garment recipe from full-size source files in the
 * public layouts (the toolchain's key tables, tools/models/recipes/tables) filled with random weights:
 * the real mix of big and small tensors, dtypes, transposes and splits. Needs about 20 GB of free disk.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { assembleGraph } from '../src/main/services/models/assembly/assemble-graph';
import { SafetensorsFile } from '../src/main/services/models/assembly/safetensors';
import type { TensorMap, TensorOp } from '../src/main/services/models/assembly/recipe';
import { WeightSource } from '../src/main/services/models/assembly/weight-source';
import { assembleRecipe } from '../src/main/services/models/assembly/assemble-recipe';
import { SAFETENSORS_DTYPE_SIZES, type SafetensorsDtype } from '../src/main/services/models/assembly/dtype';
import { encodeValues } from '../src/main/services/models/assembly/test-kit';
import { planLora } from '../src/main/services/models/assembly/lora';
import { writeSafetensors } from '../src/main/services/models/assembly/test-kit';

const SHAPE = [1280, 1280, 3, 3];
const ELEMENTS = SHAPE.reduce((a, d) => a * d, 1);

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const CASES = {
  stream: 'F16 -> float32, copied in 4 MB chunks (most SD 1.5 weights)',
  ops: 'F16 -> float32 with a transpose (each tensor whole in memory)',
  lora: 'as stream, with a rank-64 LoRA merged into every tensor',
  copy: "plain copy of the assembler's output, file by file (read + write + fsync)",
  'copy-sha': 'as copy, also sha256 of the bytes (as the assembler hashes what it writes)',
  sd15: 'the sd15-garment recipe from random full-size public-layout files, all graphs',
} as const;

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RECIPE = path.join(REPO, 'resources/models/recipes/sd15-garment');
const TABLES = path.join(REPO, 'tools/models/recipes/tables');
interface KeyTable {
  file: string;
  layout: string;
  dataBytes: number;
  tensors: Record<string, { dtype: SafetensorsDtype; shape: number[] }>;
}
type Case = keyof typeof CASES;

function tensorMap(count: number, ops: TensorOp[]): TensorMap {
  const bytes = ELEMENTS * 4;
  return {
    graph: 'bench.onnx',
    data: 'bench.onnx.data',
    dataBytes: count * bytes,
    tensors: Array.from({ length: count }, (_, i) => ({
      name: `w${i}`,
      offset: i * bytes,
      dtype: 'float32' as const,
      shape: ops.length ? [SHAPE[1]! * 9, SHAPE[0]!] : SHAPE,
      from: [{ source: 'checkpoint', key: `w${i}`, shape: SHAPE }],
      ops,
    })),
  };
}

/** One case in this process; prints {seconds, bytes, maxRssMB} as JSON. */
async function runCase(which: Case, dir: string, count: number): Promise<void> {
  const out = path.join(dir, `${which}.out`);
  const t0 = performance.now();
  let bytes: number;
  if (which === 'copy' || which === 'copy-sha') {
    // Each file the assembler wrote (one, or a pack's several), copied one after the other as it wrote them.
    const made = path.join(dir, arg('from', 'stream') + '.out');
    const files = fs.statSync(made).isDirectory() ? fs.readdirSync(made).map((f) => path.join(made, f)) : [made];
    if (files.length > 1) fs.mkdirSync(out);
    bytes = 0;
    for (const from of files) {
      const to = files.length > 1 ? path.join(out, path.basename(from)) : out;
      if (which === 'copy') await pipeline(createReadStream(from), createWriteStream(to));
      else {
        const hash = createHash('sha256');
        const hashing = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            done(null, chunk);
          },
        });
        await pipeline(createReadStream(from), hashing, createWriteStream(to));
        hash.digest('hex');
      }
      const fd = fs.openSync(to, 'r+');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      bytes += fs.statSync(to).size;
    }
  } else if (which === 'sd15') {
    fs.mkdirSync(out);
    const recipe = JSON.parse(fs.readFileSync(path.join(RECIPE, 'recipe.json'), 'utf8')) as { sources: Record<string, { layout: string }> };
    const files = Object.fromEntries(Object.entries(recipe.sources).map(([role, source]) => [role, path.join(dir, `${source.layout}.safetensors`)]));
    const done = await assembleRecipe({ recipeDir: RECIPE, files, outDir: out });
    bytes = done.data.reduce((sum, d) => sum + d.size, 0);
  } else {
    const file = await SafetensorsFile.open(path.join(dir, 'checkpoint.safetensors'));
    const lora = which === 'lora' ? await SafetensorsFile.open(path.join(dir, 'lora.safetensors')) : null;
    const source = new WeightSource('checkpoint', file);
    if (lora) {
      const targets = Object.fromEntries(Array.from({ length: count }, (_, i) => [`lora_unet_w${i}`, `w${i}`]));
      source.addLora(planLora({ file: lora, scale: 1 }, file, targets));
    }
    const map = tensorMap(count, which === 'ops' ? [{ op: 'reshape', shape: [SHAPE[0]!, SHAPE[1]! * 9] }, { op: 'transpose', perm: [1, 0] }] : []);
    const done = await assembleGraph({ map, sources: new Map([['checkpoint', source]]), outFile: out });
    bytes = done.size;
    await file.close();
    await lora?.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  // The copy cases copy what the stream (or sd15) case wrote, which the round's last case deletes.
  if (which !== 'stream' && which !== 'sd15') fs.rmSync(out, { recursive: true, force: true });
  if (process.argv.includes('--last')) fs.rmSync(path.join(dir, arg('from', 'stream') + '.out'), { recursive: true, force: true });
  const usage = process.resourceUsage();
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds, bytes, maxRssMB: usage.maxRSS / 1024 })}\n`);
}

/** A checkpoint of `count` F16 tensors written tensor by tensor, so this process never holds it whole. */
function writeCheckpoint(file: string, count: number): void {
  const tensorBytes = ELEMENTS * 2;
  const header: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) header[`w${i}`] = { dtype: 'F16', shape: SHAPE, data_offsets: [i * tensorBytes, (i + 1) * tensorBytes] };
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.alloc((8 - (json.byteLength % 8)) % 8, 0x20)]);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.byteLength));
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, Buffer.concat([prefix, json]));
  // Halves between 0x3000 and 0x3bff: ordinary values around 0.1-1, different in every tensor.
  const block = new Uint16Array(ELEMENTS);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < block.length; j++) block[j] = 0x3000 + ((j * 7 + i * 13) % 0xc00);
    fs.writeSync(fd, new Uint8Array(block.buffer));
  }
  fs.closeSync(fd);
}

/** A source file in a public layout, full size, every float a random weight (about N(0, 0.05)); integer tensors are zeros. */
function writeRandomTwin(file: string, table: KeyTable): void {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [key, t] of Object.entries(table.tensors)) {
    const bytes = t.shape.reduce((a, d) => a * d, 1) * SAFETENSORS_DTYPE_SIZES[t.dtype];
    header[key] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.alloc((8 - (json.byteLength % 8)) % 8, 0x20)]);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.byteLength));
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, Buffer.concat([prefix, json]));
  // 4 Mi random values, written round and round at a shifting start so neighbouring tensors differ.
  const values = Float32Array.from({ length: 4 * 1024 * 1024 }, () => (Math.random() + Math.random() + Math.random() - 1.5) * 0.1);
  const blocks: Partial<Record<SafetensorsDtype, Uint8Array>> = { F32: new Uint8Array(values.buffer), F16: encodeValues('F16', values), BF16: encodeValues('BF16', values) };
  let turn = 0;
  for (const t of Object.values(table.tensors)) {
    let left = t.shape.reduce((a, d) => a * d, 1) * SAFETENSORS_DTYPE_SIZES[t.dtype];
    const block = blocks[t.dtype] ?? new Uint8Array(1024 * 1024);
    let at = (turn++ * 4099 * SAFETENSORS_DTYPE_SIZES[t.dtype]) % block.byteLength;
    while (left > 0) {
      const n = Math.min(left, block.byteLength - at);
      fs.writeSync(fd, block.subarray(at, at + n));
      left -= n;
      at = 0;
    }
  }
  fs.closeSync(fd);
}

function writeLora(file: string, count: number): void {
  const rank = 64;
  const tensors: Parameters<typeof writeSafetensors>[1] = {};
  const down = Array.from({ length: rank * SHAPE[1]! * 9 }, (_, i) => ((i % 17) - 8) / 1000);
  const up = Array.from({ length: SHAPE[0]! * rank }, (_, i) => ((i % 13) - 6) / 1000);
  for (let i = 0; i < count; i++) {
    tensors[`lora_unet_w${i}.lora_down.weight`] = { dtype: 'F16', shape: [rank, SHAPE[1]!, 3, 3], values: down };
    tensors[`lora_unet_w${i}.lora_up.weight`] = { dtype: 'F16', shape: [SHAPE[0]!, rank, 1, 1], values: up };
    tensors[`lora_unet_w${i}.alpha`] = { dtype: 'F32', shape: [], values: [rank / 2] };
  }
  writeSafetensors(file, tensors);
}

async function main(): Promise<void> {
  const which = arg('case', '') as Case | '';
  if (which) return runCase(which, arg('dir', ''), Number(arg('count', '0')));

  const gb = Number(arg('gb', '2'));
  const count = Math.max(1, Math.round((gb * 1024 ** 3) / (ELEMENTS * 2)));
  // LoRA merging is compute-bound (out x rank x in*9 multiply-adds per tensor), so it runs on a tenth.
  const loraCount = Math.max(1, Math.round(count / 10));
  const dir = fs.mkdtempSync(path.join(arg('dir', os.tmpdir()), 'jinxiu-bench-assemble-'));
  const self = fileURLToPath(import.meta.url);
  try {
    const sd15 = arg('layout', '') === 'sd15';
    const first: Case = sd15 ? 'sd15' : 'stream';
    if (sd15) {
      const recipe = JSON.parse(fs.readFileSync(path.join(RECIPE, 'recipe.json'), 'utf8')) as { sources: Record<string, { layout: string }> };
      const layouts = new Set(Object.values(recipe.sources).map((s) => s.layout));
      for (const f of fs.readdirSync(TABLES)) {
        const table = JSON.parse(fs.readFileSync(path.join(TABLES, f), 'utf8')) as KeyTable;
        if (!layouts.has(table.layout)) continue;
        console.log(`writing ${table.file} (${table.layout}, ${(table.dataBytes / 1024 ** 3).toFixed(2)} GiB of random weights) to ${dir}`);
        writeRandomTwin(path.join(dir, `${table.layout}.safetensors`), table);
      }
    } else {
      console.log(`writing ${count} F16 tensors [${SHAPE.join(', ')}] (${((count * ELEMENTS * 2) / 1024 ** 3).toFixed(2)} GiB) to ${dir}`);
      writeCheckpoint(path.join(dir, 'checkpoint.safetensors'), count);
      writeLora(path.join(dir, 'lora.safetensors'), loraCount);
    }
    const runs = Number(arg('runs', '3'));
    const cases = arg('cases', sd15 ? 'sd15,copy,copy-sha' : 'stream,ops,lora,copy,copy-sha').split(',') as Case[];
    if (cases[0] !== first || cases.some((c) => !(c in CASES))) throw new Error(`--cases is a comma-separated list of ${Object.keys(CASES).join(', ')}, ${first} first`);
    const results = new Map<Case, { seconds: number; cpuSeconds: number; bytes: number; maxRssMB: number }[]>();
    // The source was just written, so every case reads it from the page cache. Cases alternate over
    // `runs` rounds, so the others' load on a shared machine falls on all of them alike; medians count.
    for (let round = 0; round < runs; round++) {
      for (const c of cases) {
        const n = c === 'lora' ? loraCount : count;
        const last = c === cases.at(-1) ? ['--last'] : [];
        const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--case', c, '--dir', dir, '--count', String(n), '--from', first, ...last], { encoding: 'utf8' });
        if (child.status !== 0) throw new Error(`${c} failed:\n${child.stderr}`);
        const r = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { seconds: number; cpuSeconds: number; bytes: number; maxRssMB: number };
        results.set(c, [...(results.get(c) ?? []), r]);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const wall = (c: Case) => median(results.get(c)?.map((r) => r.seconds) ?? [NaN]);
    const ratio = (c: Case, base: Case) => (results.has(base) && c !== base ? `${(wall(c) / wall(base)).toFixed(2)}x` : '');
    const rows: string[][] = [['case', 'tensors', 'written', 'wall s', 'MB/s', 'CPU s', 'peak RSS MB', 'vs copy', 'vs copy-sha', 'what']];
    for (const [c, all] of results) {
      const n = c === 'lora' ? loraCount : count;
      const bytes = all[0]!.bytes;
      const cpu = median(all.map((r) => r.cpuSeconds));
      const rss = Math.max(...all.map((r) => r.maxRssMB));
      rows.push([c, sd15 ? 'all' : String(n), `${(bytes / 1024 ** 3).toFixed(2)} GiB`, wall(c).toFixed(1), (bytes / 1e6 / wall(c)).toFixed(0), cpu.toFixed(1), rss.toFixed(0), c === 'lora' ? '' : ratio(c, 'copy'), c === 'lora' ? '' : ratio(c, 'copy-sha'), CASES[c]]);
    }
    const idle = spawnSync(process.execPath, ['--import', 'tsx', '-e', 'console.log(process.resourceUsage().maxRSS / 1024)'], { encoding: 'utf8' });
    rows.push(['(node + tsx alone)', '', '', '', '', '', Number(idle.stdout.trim()).toFixed(0), '', '', 'the floor every case starts from']);
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
    console.log(`medians of ${runs} runs (wall s, CPU s: user + system of the whole process, every thread); peak RSS is the highest run's; the lora case does a tenth of the tensors, so no ratio`);
    console.log(`${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg()[0]!.toFixed(1)}; the biggest tensor is ${((ELEMENTS * 4) / 1e6).toFixed(0)} MB as float32`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
