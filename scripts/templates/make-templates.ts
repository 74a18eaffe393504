/**
 * Writes the garment templates to resources/templates/<id>.json (npm run templates:flats).
 * The drawings are made by ./draw.ts through the editor's own commands.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlatDocumentSchema } from '../../src/shared/flat/schema';
import { drawTemplate } from './draw';
import { TEMPLATES } from './garments';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/templates');
fs.mkdirSync(outDir, { recursive: true });
const index: { id: string; name: string; file: string; category: string }[] = [];
for (const spec of TEMPLATES) {
  const doc = FlatDocumentSchema.parse(drawTemplate(spec));
  const file = `${spec.id}.json`;
  fs.writeFileSync(path.join(outDir, file), `${JSON.stringify(doc, null, 1)}\n`);
  index.push({ id: doc.id, name: doc.name, file, category: doc.attributes.category });
  const counts = doc.views.map((v) => `${v.id} ${v.items.length} items`).join(', ');
  console.log(`${file.padEnd(16)} ${counts}`);
}
fs.writeFileSync(path.join(outDir, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
