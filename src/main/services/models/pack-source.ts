import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { AppError } from '../../../shared/contract';
import { PackRelativePath, type PackFile } from '../../../shared/packs/manifest-base';
import { MANIFEST_FILE, MANIFEST_MAX_BYTES, parseManifest, readManifest, type PackManifest } from './pack-manifest';
import { checkPackFolder } from './verify';

/** A pack offered for installation: its manifest and a way to read each listed file. */
export interface PackSource {
  readonly manifest: PackManifest;
  readonly manifestBytes: Buffer;
  open(file: PackFile): Promise<Readable>;
  close(): void;
}

export async function openPackSource(p: string): Promise<PackSource> {
  const stat = await fs.stat(p).catch(() => null);
  if (!stat) throw new AppError('NOT_FOUND', `There is no file or folder at ${p}.`);
  if (stat.isDirectory()) return openFolderSource(p);
  if (stat.isFile() && p.toLowerCase().endsWith('.zip')) return openZipSource(p);
  throw new AppError('INVALID_INPUT', `${p} is neither a pack folder nor a .zip file.`);
}

async function openFolderSource(dir: string): Promise<PackSource> {
  const manifest = await readManifest(dir);
  // Structure first (missing, extra, wrong size, links); the hashes are checked while reading.
  const problems = (await checkPackFolder(dir, manifest.base, { quick: true })).filter((p) => !(p.issue === 'extra' && isOsJunk(p.path)));
  if (problems.length > 0) throw refused(dir, problems.map((x) => x.message));
  return {
    manifest,
    manifestBytes: await fs.readFile(path.join(dir, MANIFEST_FILE)),
    open: async (file) => createReadStream(path.join(dir, file.path)),
    close: () => undefined,
  };
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * A zip is checked from its central directory before a byte is extracted: every name must be a plain
 * relative path, no links, no encryption, exactly the manifest's files (optionally under one top
 * folder), each declaring exactly the manifest's size. yauzl then refuses any entry whose real size
 * differs from the declared one, which together stops zip bombs.
 */
async function openZipSource(file: string): Promise<PackSource> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(file);
  } catch (err) {
    throw new AppError('INVALID_INPUT', `${file} cannot be read as a zip: ${(err as Error).message}`);
  }
  try {
    const entries = new Map<string, yauzl.Entry>();
    try {
      for await (const entry of zip.eachEntry()) {
        const name = entry.fileName;
        checkEntryName(name);
        if ((entry.externalFileAttributes >>> 16 & S_IFMT) === S_IFLNK) throw new Error(`"${name}" is a symbolic link`);
        if (entry.isEncrypted()) throw new Error(`"${name}" is encrypted`);
        if (name.endsWith('/') || isOsJunk(name)) continue;
        if (entries.has(name)) throw new Error(`"${name}" appears twice`);
        entries.set(name, entry);
      }
    } catch (err) {
      throw refused(file, [(err as Error).message]);
    }
    const prefix = findPackRoot([...entries.keys()]);
    if (prefix === null) throw refused(file, ['it has no manifest.json at its root or in a single top folder']);
    const byPath = new Map([...entries].map(([name, entry]) => [name.slice(prefix.length), entry]));

    const manifestEntry = byPath.get(MANIFEST_FILE)!;
    if (manifestEntry.uncompressedSize > MANIFEST_MAX_BYTES) throw refused(file, [`its manifest.json is larger than ${MANIFEST_MAX_BYTES} bytes`]);
    const manifestBytes = await readAll(await zip.openReadStreamPromise(manifestEntry), MANIFEST_MAX_BYTES);
    const manifest = parseManifest(manifestBytes, file);

    const problems: string[] = [];
    const listed = new Set(manifest.base.files.map((f) => f.path));
    for (const p of byPath.keys()) if (p !== MANIFEST_FILE && !listed.has(p)) problems.push(`${p} is not listed in manifest.json`);
    for (const f of manifest.base.files) {
      const entry = byPath.get(f.path);
      if (!entry) problems.push(`${f.path} is missing`);
      else if (entry.uncompressedSize !== f.size) {
        problems.push(`${f.path} unpacks to ${entry.uncompressedSize} bytes; the manifest says ${f.size}`);
      }
    }
    if (problems.length > 0) throw refused(file, problems);
    return {
      manifest,
      manifestBytes,
      open: (f) => zip.openReadStreamPromise(byPath.get(f.path)!),
      close: () => zip.close(),
    };
  } catch (err) {
    zip.close();
    throw err;
  }
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true }, (err, zip) =>
      err ? reject(err) : resolve(zip),
    );
  });
}

/** Files that file managers add to folders and zips (never copied, so safe to pass over). */
function isOsJunk(p: string): boolean {
  return p.startsWith('__MACOSX/') || p.split('/').at(-1) === '.DS_Store' || p.split('/').at(-1) === 'Thumbs.db';
}

/** yauzl already rejects absolute paths, `..` and backslashes; this adds the pack contract's own rules. */
function checkEntryName(name: string): void {
  const bare = name.endsWith('/') ? name.slice(0, -1) : name;
  if (!PackRelativePath.safeParse(bare).success) throw new Error(`the entry "${name.slice(0, 200)}" is not a safe relative path`);
}

/** '' when manifest.json is at the root, 'top/' when everything sits in one folder with it, else null. */
function findPackRoot(names: string[]): string | null {
  if (names.includes(MANIFEST_FILE)) return '';
  const tops = new Set(names.map((n) => (n.includes('/') ? n.slice(0, n.indexOf('/') + 1) : n)));
  if (tops.size !== 1) return null;
  const top = [...tops][0]!;
  return top.endsWith('/') && names.includes(`${top}${MANIFEST_FILE}`) ? top : null;
}

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw new AppError('INVALID_INPUT', `manifest.json is larger than ${limit} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function refused(where: string, reasons: string[]): AppError {
  const shown = reasons.slice(0, 5).join('; ');
  const more = reasons.length > 5 ? ` (and ${reasons.length - 5} more)` : '';
  return new AppError('MODEL_INVALID', `The pack ${where} is refused: ${shown}${more}.`, { problems: reasons.slice(0, 50) });
}
