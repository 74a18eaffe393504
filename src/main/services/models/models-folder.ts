import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/contract';

/** Room kept free beyond a pack's own size, so the disk is never filled to the last byte. */
const FREE_SPACE_MARGIN = 64 * 1024 * 1024;

/**
 * The models folder of a library: `<id>/` per installed pack, `.staging/` for installs and removals
 * in progress, `.downloads/<id>@<version>/` for downloads (kept across pauses). Names starting with a
 * dot are never packs, so a half-written pack can never be listed.
 */
export class ModelsFolder {
  constructor(readonly dir: string) {}

  get stagingRoot(): string {
    return path.join(this.dir, '.staging');
  }

  packDir(id: string): string {
    return path.join(this.dir, id);
  }

  downloadDir(id: string, version: string): string {
    return path.join(this.dir, '.downloads', `${id}@${version}`);
  }

  async has(id: string): Promise<boolean> {
    return (await fs.stat(this.packDir(id)).catch(() => null)) !== null;
  }

  /** Folder names of installed packs. */
  async packFolders(): Promise<string[]> {
    const entries = await fs.readdir(this.dir, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  }

  async makeStaging(purpose: string): Promise<string> {
    await fs.mkdir(this.stagingRoot, { recursive: true });
    return fs.mkdtemp(path.join(this.stagingRoot, `${purpose}-`));
  }

  /** Moves a complete pack folder into place in one rename; refuses if the id is taken meanwhile. */
  async commit(from: string, id: string): Promise<void> {
    try {
      await fs.rename(from, this.packDir(id));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') {
        throw new AppError('CONFLICT', `A pack "${id}" is already installed; remove it first.`);
      }
      throw err;
    }
  }

  /** Renames the pack out of sight first, so an interrupted delete never leaves a half pack listed. */
  async removePack(id: string): Promise<void> {
    await fs.mkdir(this.stagingRoot, { recursive: true });
    const trash = path.join(this.stagingRoot, `removed-${id}-${Date.now()}`);
    await fs.rename(this.packDir(id), trash);
    await fs.rm(trash, { recursive: true, force: true });
  }

  async ensureFreeSpace(bytes: number, what: string): Promise<void> {
    const stats = await fs.statfs(this.dir);
    const free = stats.bavail * stats.bsize;
    if (free < bytes + FREE_SPACE_MARGIN) {
      throw new AppError(
        'DISK_FULL',
        `Not enough free space to ${what}: it needs ${formatBytes(bytes)} (plus ${formatBytes(FREE_SPACE_MARGIN)} to spare) and ${this.dir} has ${formatBytes(free)} free.`,
      );
    }
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
