/**
 * `npm run report:garment`: a contact sheet of the garment pack on the held-out real flats
 * (tools/models/garment/heldout.json), both variants for every flat with its prompt.
 *
 *   npm run report:garment [-- --pack DIR] [--out DIR]
 *
 * The images are `jinxiu generate`'s own (tools/models/garment/heldout-render.ts), shown at real
 * size: one image pixel is one sheet pixel. A pack smaller than 256 px also gets an enlarged copy of
 * each image (nearest neighbour, so the pixels stay visible and nothing is invented), labelled with its
 * factor. A pack with a VAE encoder gets a fourth column: the text-biased variant started from the
 * flat's colorway (`--init colorway`). Writes OUT/contact-sheet.png and the renders in OUT/renders (default OUT:
 * test-output/report-garment) and prints the sheet's path; the same renders score with
 * `python -m tools.models eval garment --renders OUT/renders`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import { renderHeldout, type RenderedFlat } from '../tools/models/garment/heldout-render';

const repo = fileURLToPath(new URL('..', import.meta.url));

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

async function dataUri(file: string, scale: number): Promise<string> {
  let png = await fs.readFile(file);
  if (scale > 1) {
    const { width = 0 } = await sharp(png).metadata();
    png = await sharp(png).resize(width * scale, undefined, { kernel: 'nearest' }).png().toBuffer();
  }
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** The sheet as SVG: a text column (flat, kind, prompt, alphas), then sketch, image-biased, text-biased (and from the colorway) at 1:1, then enlarged. */
async function sheetSvg(flats: RenderedFlat[], width: number, height: number, packName: string): Promise<string> {
  const scale = width < 256 ? Math.floor(256 / width) : 1;
  const gap = 12;
  const textW = 330;
  const colorway = flats.every((f) => f.colorway);
  const names = ['sketch (as fed)', 'image-biased', 'text-biased', ...(colorway ? [`text-biased from colorway ${flats[0]!.colorway!.strength}`] : [])];
  const base = names.length;
  const cells = scale > 1 ? 2 * base : base;
  const cellW = (k: number) => (k < base ? width : width * scale);
  const rowH = Math.max(height * scale, 96) + gap;
  const head = 56;
  const sheetW = textW + Array.from({ length: cells }, (_, k) => cellW(k) + gap).reduce((a, b) => a + b, 0) + gap;
  const sheetH = head + flats.length * rowH + gap;
  const font = `font-family="Noto Sans CJK SC, Noto Sans, sans-serif"`;
  const parts = [
    `<rect width="${sheetW}" height="${sheetH}" fill="#ffffff"/>`,
    `<text x="${gap}" y="22" font-size="15" ${font} fill="#111">${esc(`Held-out real flats, pack ${packName}, ${width} x ${height} px`)}</text>`,
  ];
  const labels = [...names, ...names.map((n) => `${n} x${scale}`)];
  let x = textW;
  const columnX: number[] = [];
  for (let k = 0; k < cells; k++) {
    columnX.push(x);
    parts.push(`<text x="${x}" y="46" font-size="11" ${font} fill="#555">${esc(labels[k]!)}</text>`);
    x += cellW(k) + gap;
  }
  for (const [i, f] of flats.entries()) {
    const y = head + i * rowH;
    const run = JSON.parse(await fs.readFile(f.run, 'utf8')) as { variants: { variant: string; alpha: number }[]; fabric?: unknown };
    const alphas = run.variants.map((v) => `${v.variant} α ${v.alpha.toFixed(2)}`).join(', ');
    const lines = [
      [`${f.design} (${f.kind})`, 13, '#111'],
      [f.prompt, 13, '#111'],
      [`colour ${f.colour}, fabric ${f.fabric}`, 11, '#555'],
      ...(f.silhouette ? [[`conflict: ${f.silhouette}`, 11, '#9a3412'] as const] : []),
      [alphas, 11, '#555'],
    ] as const;
    lines.forEach(([text, size, fill], j) => parts.push(`<text x="${gap}" y="${y + 16 + j * 17}" font-size="${size}" ${font} fill="${fill}">${esc(text)}</text>`));
    const files = [f.sketch, f.imageBiased, f.textBiased, ...(colorway ? [f.colorway!.textBiased] : [])];
    for (let k = 0; k < cells; k++) {
      const s = k < base ? 1 : scale;
      parts.push(`<image x="${columnX[k]}" y="${y}" width="${width * s}" height="${height * s}" href="${await dataUri(files[k % base]!, s)}"/>`);
      parts.push(`<rect x="${columnX[k]! - 0.5}" y="${y - 0.5}" width="${width * s + 1}" height="${height * s + 1}" fill="none" stroke="#ddd"/>`);
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${sheetW}" height="${sheetH}" viewBox="0 0 ${sheetW} ${sheetH}">${parts.join('')}</svg>`;
}

const { values } = parseArgs({
  options: {
    pack: { type: 'string', default: path.join(repo, 'resources/models/garment-default') },
    out: { type: 'string', default: path.join(repo, 'test-output/report-garment') },
  },
});
const pack = path.resolve(values.pack);
const out = path.resolve(values.out);
const set = await renderHeldout(pack, path.join(out, 'renders'), { log: (line) => process.stderr.write(`${line}\n`) });
const svg = await sheetSvg(set.flats, set.width, set.height, set.packName);
// fitTo original: the sheet's own pixels, so each image stays at 1:1
const png = new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: true } }).render().asPng();
const sheet = path.join(out, 'contact-sheet.png');
await fs.writeFile(sheet, png);
process.stdout.write(`${sheet}\n`);
