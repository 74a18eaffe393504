// Test helpers (not shipped): real pack folders and real zip files built with yazl.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { JobQueue, type JobQueueOptions } from '../jobs';
import { Library } from '../library';
import { ModelManager, type ModelManagerOptions } from './manager';

export interface TestPack {
  manifest: { id: string; version: string; kind: 'garment' | 'motif'; name: string; licence: string; files: { path: string; sha256: string; size: number }[] } & Record<string, unknown>;
  contents: Map<string, Buffer>;
  manifestBytes: Buffer;
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The example manifests of tools/models (validated there against the full contract) give each kind's section. */
const TEMPLATES = {
  garment: new URL('../../../../tools/models/examples/garment-sd15-ipadapter-controlnet.manifest.json', import.meta.url),
  motif: new URL('../../../../tools/models/examples/motif-chinese-clip-onnx.manifest.json', import.meta.url),
};

/**
 * A pack that passes the full manifest contract: the example manifest of its kind, with random bytes
 * for every file it lists (64 bytes unless `files` says otherwise). Files named in `files` come first
 * in the manifest, in the order given, so tests know which one a download fetches first.
 */
export function makePack(
  id: string,
  files: Record<string, number | Buffer>,
  extra: { kind?: 'garment' | 'motif' } & Record<string, unknown> = {},
): TestPack {
  const kind = extra.kind ?? 'garment';
  const template = JSON.parse(fs.readFileSync(TEMPLATES[kind], 'utf8')) as { files: { path: string }[] } & Record<string, unknown>;
  const sizes: [string, number | Buffer][] = [...Object.entries(files), ...template.files.filter((f) => !(f.path in files)).map((f): [string, number] => [f.path, 64])];
  const contents = new Map(sizes.map(([p, v]) => [p, typeof v === 'number' ? randomBytes(v) : v]));
  const manifest = {
    ...template,
    id,
    version: '1.0.0',
    kind,
    name: `Test pack ${id}`,
    licence: 'CC-BY-4.0',
    ...extra,
    files: [...contents].map(([p, b]) => ({ path: p, sha256: sha256(b), size: b.length })),
  };
  return { manifest, contents, manifestBytes: Buffer.from(JSON.stringify(manifest, null, 2)) };
}

/** The bytes of all the pack's files together. */
export const packBytes = (pack: TestPack) => pack.manifest.files.reduce((sum, f) => sum + f.size, 0);

export function writePackFolder(dir: string, pack: TestPack): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.json'), pack.manifestBytes);
  for (const [p, b] of pack.contents) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), b);
  }
  return dir;
}

export interface ZipEntry {
  name: string;
  data: Buffer;
  mode?: number;
}

export function packEntries(pack: TestPack, prefix = ''): ZipEntry[] {
  return [{ name: `${prefix}manifest.json`, data: pack.manifestBytes }, ...[...pack.contents].map(([p, data]) => ({ name: `${prefix}${p}`, data }))];
}

/**
 * Builds a real zip with yazl. yazl (rightly) refuses hostile names, so `rename` swaps a placeholder
 * name for the raw hostile one in the finished bytes (same length; names are not covered by the CRC).
 */
export async function buildZip(file: string, entries: ZipEntry[], rename: Record<string, string> = {}): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name, e.mode === undefined ? {} : { mode: e.mode });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  let bytes = Buffer.concat(chunks);
  for (const [placeholder, raw] of Object.entries(rename)) {
    if (placeholder.length !== raw.length) throw new Error('a raw name must have the placeholder length');
    bytes = Buffer.from(bytes.toString('latin1').split(placeholder).join(raw), 'latin1');
  }
  fs.writeFileSync(file, bytes);
  return file;
}

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `jinxiu-models-${label}-`));
}

/** A real library, job queue and model manager in a temp folder. */
export function openManager(root: string, options: Partial<ModelManagerOptions> = {}, queue: JobQueueOptions = {}) {
  const library = Library.open(path.join(root, 'library'));
  const jobs = new JobQueue(library.db, queue);
  const models = new ModelManager({
    db: library.db,
    jobs,
    modelsDir: path.join(library.dir, 'models'),
    bundledDir: path.join(root, 'bundled'),
    cataloguePath: path.join(root, 'catalogue.json'),
    ...options,
  });
  return {
    library,
    jobs,
    models,
    async close() {
      await jobs.stop();
      library.close();
    },
  };
}

/** Everything under a folder, relative, for "nothing was left behind" checks. */
export function treeOf(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}
