/**
 * The app's assembler against the Python reference (tools/models/recipes/assemble.py) on the toolchain's
 * own tiny twins and tiny recipes (sd15-garment, sd15-garment-lcm, chinese-clip-motif):
 *
 *     npx tsx src/main/services/models/assembly/twin-parity.ts
 *
 * Python writes the twins, builds the tiny recipes with the full-size code path and assembles its packs;
 * this assembles the same recipes from the same files and compares every file of every pack. Data files
 * must be byte-identical, except where a LoRA was merged: there Python sums in float32 and this in
 * float64, so values may differ in the last bits (reported as max |d| / max(1, |x|), at most 1e-6).
 * Needs tools/models/.venv (about a minute on two cores); exits 1 on any other difference.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemblePack } from './assemble-pack';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const python = path.join(repo, 'tools/models/.venv/bin/python');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-twin-parity-'));

const PY = `
import json, sys, warnings
from pathlib import Path
warnings.filterwarnings("ignore")
from tools.models.recipes.twins import write_chinese_clip_twin, write_garment_twins
from tools.models.recipes.build import build_tiny
from tools.models.recipes.assemble import assemble
root = Path(sys.argv[1])
tw = write_garment_twins(root / "twins" / "garment", seed=3)
tw["chinese_clip"] = write_chinese_clip_twin(root / "twins" / "chinese_clip", seed=4)
recipes = build_tiny(root / "recipes", tw, tw["chinese_clip"])
garment = {r: str(tw[r]) for r in ("checkpoint", "ip_adapter", "image_encoder", "controlnet")}
runs = {"sd15-garment": garment, "sd15-garment-lcm": {**garment, "lcm": str(tw["lcm"])}, "chinese-clip-motif": {"checkpoint": str(tw["chinese_clip"])}}
for rid, files in runs.items():
    assemble(recipes[rid], {k: Path(v) for k, v in files.items()}, root / "python" / rid)
print(json.dumps(runs))
`;

interface PackFiles {
  files: Array<{ path: string; sha256: string; size: number }>;
}

/**
 * Largest |a - b| / max(1, |b|) between two float32 files. Not in ulps of the result: a merged weight
 * near zero is the difference of two larger numbers, and its rounding error is theirs.
 */
function floatDistance(a: Buffer, b: Buffer): { differing: number; worst: number } {
  const x = new Float32Array(a.buffer, a.byteOffset, a.byteLength / 4);
  const y = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  let differing = 0;
  let worst = 0;
  for (let i = 0; i < y.length; i++) {
    if (Object.is(x[i], y[i])) continue;
    differing++;
    worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / Math.max(1, Math.abs(y[i]!)));
  }
  return { differing, worst };
}

try {
  const made = spawnSync(python, ['-c', PY, work], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (made.status !== 0) throw new Error(`the Python side failed:\n${made.stderr}`);
  const runs = JSON.parse(made.stdout.trim().split('\n').at(-1)!) as Record<string, Record<string, string>>;
  const rows: string[][] = [['recipe', 'file', 'bytes', 'result']];
  let failed = false;
  for (const [id, files] of Object.entries(runs)) {
    const outDir = path.join(work, 'app', id);
    await assemblePack({ recipeDir: path.join(work, 'recipes', id), files, outDir });
    const ours = JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as PackFiles;
    const theirs = JSON.parse(fs.readFileSync(path.join(work, 'python', id, 'manifest.json'), 'utf8')) as PackFiles;
    const listed = [...new Set([...ours.files, ...theirs.files].map((f) => f.path))].sort();
    for (const file of listed) {
      const a = ours.files.find((f) => f.path === file);
      const b = theirs.files.find((f) => f.path === file);
      let result: string;
      if (!a || !b) result = a ? 'only in the app pack' : 'only in the Python pack';
      else if (a.sha256 === b.sha256) result = 'identical';
      else if (a.size !== b.size || !file.endsWith('.onnx.data')) result = `different (${a.size} vs ${b.size} bytes)`;
      else {
        const { differing, worst } = floatDistance(fs.readFileSync(path.join(outDir, file)), fs.readFileSync(path.join(work, 'python', id, file)));
        result = `${differing} floats differ, max |d|/max(1,|x|) ${worst.toExponential(1)}`;
        if (worst > 1e-6) failed = true;
        rows.push([id, file, String(a.size), result]);
        continue;
      }
      if (result !== 'identical') failed = true;
      rows.push([id, file, String(a?.size ?? b?.size), result]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  process.exitCode = failed ? 1 : 0;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
