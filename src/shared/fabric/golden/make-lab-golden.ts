/**
 * Golden CIELAB values for colour-space.test.ts, made by an independent implementation: libvips'
 * sRGB -> Lab conversion (through sharp), not by the code under test. Run:
 *   npx tsx src/shared/fabric/golden/make-lab-golden.ts
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { COLOURS } from '../lexicon';

const extra = ['#000000', '#FFFFFF', '#FF0000', '#00FF00', '#0000FF', '#808080', '#123456', '#FEDCBA', '#0B5394', '#F4CCCC'];
const hexes = [...new Set([...COLOURS.map((c) => c.hex.toUpperCase()), ...extra])];

const pixels = Buffer.alloc(hexes.length * 3);
hexes.forEach((hex, i) => {
  const n = parseInt(hex.slice(1), 16);
  pixels[i * 3] = (n >> 16) & 255;
  pixels[i * 3 + 1] = (n >> 8) & 255;
  pixels[i * 3 + 2] = n & 255;
});
const { data } = await sharp(pixels, { raw: { width: hexes.length, height: 1, channels: 3 } })
  .toColourspace('lab')
  .raw({ depth: 'float' })
  .toBuffer({ resolveWithObject: true });
const lab = new Float32Array(data.buffer, data.byteOffset, data.length / 4);
const golden = hexes.map((hex, i) => ({
  hex,
  L: Number(lab[i * 3]!.toFixed(4)),
  a: Number(lab[i * 3 + 1]!.toFixed(4)),
  b: Number(lab[i * 3 + 2]!.toFixed(4)),
}));
const out = fileURLToPath(new URL('./lab-golden.json', import.meta.url));
fs.writeFileSync(out, `${JSON.stringify({ source: `libvips ${sharp.versions.vips} via sharp ${sharp.versions.sharp}`, golden }, null, 2)}\n`);
process.stdout.write(`wrote ${golden.length} colours to ${out}\n`);
