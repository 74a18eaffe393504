import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PackProblem } from '../../../shared/contract/models';
import type { ManifestBase } from '../../../shared/packs/manifest-base';
import { MANIFEST_FILE } from './pack-manifest';

export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every path under dir, relative with forward slashes; symlinks and other non-files are reported as such. */
export async function listTree(dir: string): Promise<{ files: Map<string, number>; odd: string[] }> {
  const files = new Map<string, number>();
  const odd: string[] = [];
  async function walk(rel: string): Promise<void> {
    for (const entry of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) files.set(child, (await fs.stat(path.join(dir, child))).size);
      else odd.push(child);
    }
  }
  await walk('');
  return { files, odd };
}

/**
 * Checks a pack folder against its manifest: no missing, extra or odd entries, every size right and,
 * unless `quick`, every sha256 right. Hashes only files whose size already matches.
 */
export async function checkPackFolder(
  dir: string,
  manifest: ManifestBase,
  options: { quick?: boolean; signal?: AbortSignal } = {},
): Promise<PackProblem[]> {
  const problems: PackProblem[] = [];
  const { files, odd } = await listTree(dir);
  for (const p of odd) problems.push({ path: p, issue: 'not-a-file', message: `${p} is a link or special file, not a regular file.` });
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const p of files.keys()) {
    if (p !== MANIFEST_FILE && !listed.has(p)) problems.push({ path: p, issue: 'extra', message: `${p} is not listed in manifest.json.` });
  }
  for (const f of manifest.files) {
    const size = files.get(f.path);
    if (size === undefined) {
      if (!odd.includes(f.path)) problems.push({ path: f.path, issue: 'missing', message: `${f.path} is missing.` });
    } else if (size !== f.size) {
      problems.push({ path: f.path, issue: 'size', message: `${f.path} is ${size} bytes; the manifest says ${f.size}.` });
    } else if (!options.quick) {
      const actual = await sha256File(path.join(dir, f.path), options.signal);
      if (actual !== f.sha256) {
        problems.push({ path: f.path, issue: 'sha256', message: `${f.path} has sha256 ${actual}; the manifest says ${f.sha256}.` });
      }
    }
  }
  return problems;
}

/** Size and mtime of every listed file: a verification stays valid while this is unchanged. */
export async function folderFingerprint(dir: string, manifest: ManifestBase): Promise<string> {
  const parts: string[] = [];
  for (const f of manifest.files) {
    const st = await fs.stat(path.join(dir, f.path)).catch(() => null);
    parts.push(`${f.path}:${st?.size ?? -1}:${st?.mtimeMs ?? -1}`);
  }
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}
