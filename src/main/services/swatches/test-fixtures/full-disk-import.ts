/**
 * Run by import-full-disk.test.ts inside a private mount namespace whose folder is a small tmpfs.
 * The disk is filled so that a swatch photo still fits but its tile does not: the import fails
 * halfway through its files. Prints one JSON line describing what the library holds afterwards.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../../../shared/contract';
import { Library } from '../../library';
import { SwatchLibrary } from '../store';

const dir = process.argv[2];
if (!dir) throw new Error('usage: full-disk-import.ts <dir>');

const listAll = (d: string): string[] =>
  fs.existsSync(d) ? fs.readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(d, path.join(e.parentPath, e.name))) : [];

// Noise does not compress: the photo, its tile and its preview are each a few hundred KB.
const side = 320;
const noise = Buffer.alloc(side * side * 3);
for (let i = 0, x = 7; i < noise.length; i++) noise[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
const photoPath = path.join(dir, 'noisy-denim.png');
fs.writeFileSync(photoPath, await sharp(noise, { raw: { width: side, height: side, channels: 3 } }).png().toBuffer());

const lib = Library.open(path.join(dir, 'library'));
const swatches = new SwatchLibrary(lib);
const project = lib.projects.create('spring jackets');

// Room for the photo and its record, not for the tile after it.
const { bavail, bsize } = fs.statfsSync(dir);
const filler = bavail * bsize - fs.statSync(photoPath).size - 96 * 1024;
fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(filler));

let error: { code: string; message: string } | null = null;
try {
  await swatches.import({ path: photoPath, projectId: project.id, geometry: { widthCm: 10, heightCm: 10 } });
} catch (err) {
  error = err instanceof AppError ? { code: err.code, message: err.message } : { code: 'NOT_APP_ERROR', message: String(err) };
}
const count = (table: string) => (lib.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const after = { files: listAll(lib.files.filesDir), tmp: listAll(lib.files.tmpDir), rows: { files: count('files'), swatches: count('swatches'), projectSwatches: count('project_swatches') } };

// Once there is room again, the same import goes through.
fs.rmSync(path.join(dir, 'filler'));
const again = await swatches.import({ path: photoPath, projectId: project.id, geometry: { widthCm: 10, heightCm: 10 } });
const stored = { files: listAll(lib.files.filesDir).length, rows: count('files'), swatches: count('swatches'), name: again.name };
lib.close();
process.stdout.write(`${JSON.stringify({ error, after, stored })}\n`);
