/**
 * Flat SVG import fidelity: imports every shared flat, exports it again, rasterises both with
 * resvg at the reference PNG's size and prints the pixel differences.
 *   npm run report:flat-fidelity [-- <folder with flats_svg/ and flats_png/>]
 */
import fs from 'node:fs';
import path from 'node:path';
import { measureFlatFidelity } from '../src/main/services/flats';
import { garmentFlatsDir } from '../src/main/services/flats/shared-data';

const root = path.resolve(process.argv[2] ?? garmentFlatsDir());
const svgDir = path.join(root, 'flats_svg');
const pngDir = path.join(root, 'flats_png');
const files = fs.readdirSync(svgDir).filter((f) => f.endsWith('.svg')).sort();

const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`Flat fidelity, ${files.length} files from ${root}`);
console.log('MAD = mean absolute RGB difference (0-255); diff% = pixels differing by more than 32');
console.log(
  `${'file'.padEnd(14)}${pad('items', 6)}${pad('dropped', 8)} | ${pad('export vs original', 20)} | ${pad('export vs PNG', 20)} | ${pad('original vs PNG', 20)}`,
);
const totals = { eo: 0, ep: 0, op: 0, worstEo: 0, worstFile: '' };
for (const f of files) {
  const png = path.join(pngDir, f.replace(/\.svg$/, '.png'));
  const r = await measureFlatFidelity(path.join(svgDir, f), png);
  const cell = (d: { meanAbsDiff: number; differingPct: number }) => `${pad(d.meanAbsDiff.toFixed(3), 8)} ${pad(d.differingPct.toFixed(3), 8)}%`;
  console.log(`${f.replace(/\.svg$/, '').padEnd(14)}${pad(r.items, 6)}${pad(r.dropped, 8)} | ${pad(cell(r.exportVsOriginal), 20)} | ${pad(cell(r.exportVsPng), 20)} | ${pad(cell(r.originalVsPng), 20)}`);
  totals.eo += r.exportVsOriginal.meanAbsDiff;
  totals.ep += r.exportVsPng.meanAbsDiff;
  totals.op += r.originalVsPng.meanAbsDiff;
  if (r.exportVsOriginal.meanAbsDiff >= totals.worstEo) {
    totals.worstEo = r.exportVsOriginal.meanAbsDiff;
    totals.worstFile = f;
  }
}
const n = files.length;
console.log(
  `mean MAD: export vs original ${(totals.eo / n).toFixed(3)}, export vs PNG ${(totals.ep / n).toFixed(3)}, original vs PNG ${(totals.op / n).toFixed(3)}; worst export vs original ${totals.worstEo.toFixed(3)} (${totals.worstFile})`,
);
