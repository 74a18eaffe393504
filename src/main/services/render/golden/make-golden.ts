/**
 * Writes the golden colorway the render tests compare against: `npx tsx src/main/services/render/golden/make-golden.ts`.
 * Run it again only after a deliberate change to how colorways look, and look at the PNG first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ColorwayRenderer } from '../colorway';
import { imageFabrics } from '../fabrics';
import { loadFlatArgument } from '../flat-input';
import { GOLDEN } from './spec';

async function main(): Promise<void> {
  const doc = await loadFlatArgument(GOLDEN.template);
  const renderer = new ColorwayRenderer(await imageFabrics(GOLDEN.tiles));
  const colorway = await renderer.render(doc, GOLDEN.palette, { size: GOLDEN.size });
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), GOLDEN.file);
  fs.writeFileSync(out, colorway.png);
  process.stdout.write(`wrote ${out} (${colorway.width} x ${colorway.height} px)\n`);
}

void main();
