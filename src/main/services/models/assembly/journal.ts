import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../outputs';
import { sha256File } from '../verify';
import type { AssemblyResume } from './assemble-recipe';
import type { AssembledFile } from './data-writer';
import type { TensorMap } from './recipe';

const JournalSchema = z.object({
  journal: z.literal(1),
  /** What was being assembled: the recipe and each source file's path, size and mtime. Another key starts over. */
  key: z.string(),
  /** Finished data files by name: their size and sha256 when they were written. */
  done: z.record(z.string(), z.object({ size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
});
type Journal = z.infer<typeof JournalSchema>;

/**
 * The small record an assembly keeps in its staging folder so a paused or interrupted run can go on
 * where it stopped: each graph's data file, once complete, with its size and sha256. A later run
 * hashes the file again before it trusts it, since the staging folder is only as safe as the disk.
 */
export class AssemblyJournal implements AssemblyResume {
  private constructor(
    readonly file: string,
    private readonly dataDir: string,
    private state: Journal,
    private readonly signal?: AbortSignal,
  ) {}

  /** Opens the journal at `file`; one made for another key (other inputs) or unreadable is started afresh. */
  static async open(file: string, dataDir: string, key: string, signal?: AbortSignal): Promise<AssemblyJournal> {
    const text = await fs.readFile(file, 'utf8').catch(() => null);
    let parsed: Journal | null = null;
    try {
      parsed = text === null ? null : JournalSchema.parse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    const state = parsed && parsed.key === key ? parsed : { journal: 1 as const, key, done: {} };
    const journal = new AssemblyJournal(file, dataDir, state, signal);
    if (state !== parsed) await journal.save();
    return journal;
  }

  /** The data files recorded as finished. */
  get kept(): string[] {
    return Object.keys(this.state.done);
  }

  async reuse(map: TensorMap): Promise<AssembledFile | null> {
    const recorded = this.state.done[map.data];
    if (!recorded) return null;
    const file = path.join(this.dataDir, map.data);
    const size = (await fs.stat(file).catch(() => null))?.size;
    const sha256 = size === recorded.size && size === map.dataBytes ? await sha256File(file, this.signal) : null;
    if (sha256 === recorded.sha256) return { path: file, size: recorded.size, sha256 };
    // Changed or lost since: written again.
    delete this.state.done[map.data];
    await this.save();
    await fs.rm(file, { force: true });
    return null;
  }

  async written(file: AssembledFile & { graph: string; reused: boolean }): Promise<void> {
    if (file.reused) return;
    this.state.done[path.basename(file.path)] = { size: file.size, sha256: file.sha256 };
    await this.save();
  }

  private async save(): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(this.state)}\n`);
  }
}

/** The journal key of a set of inputs: a source replaced in place (another checkpoint, same name) starts over. */
export async function inputsKey(recipeId: string, files: Readonly<Record<string, string>>): Promise<string> {
  const parts: Record<string, unknown> = {};
  for (const [role, file] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const st = await fs.stat(file);
    parts[role] = [path.resolve(file), st.size, Math.round(st.mtimeMs)];
  }
  return JSON.stringify({ recipeId, files: parts });
}
