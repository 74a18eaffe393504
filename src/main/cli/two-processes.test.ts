import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runJinxiu } from './test-kit';
import { Library } from '../services/library';
import { IMPORT_JOB } from '../services/motif';
import { JobQueue } from '../services/jobs';

/**
 * Real `jinxiu` processes on one library. The long import is held mid-job without timing tricks: one
 * of its images is a named pipe, so reading it waits until the test writes the image into the pipe.
 * Meanwhile the process is alive and idle, as a slow import would be, and holds no lock.
 */

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = path.join(REPO, 'bin', 'jinxiu.js');

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

let root: string;
let lib: Library;
const children: ReturnType<typeof spawn>[] = [];
const pipes: string[] = [];

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-two-'));
  lib = Library.open(path.join(root, 'library'));
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // A writer still waiting for a reader (a test that failed early) is let go, or it would hold a thread forever.
  for (const pipe of pipes.splice(0)) fs.closeSync(fs.openSync(pipe, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK));
  lib.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** A small real image, distinct per seed. */
function image(seed: number): Promise<Buffer> {
  const width = 32;
  const height = 24;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + seed * 53) & 255;
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/**
 * A heritage-layout collection of `seeds.length` images; with `gateAt`, that image is a named pipe,
 * and writing `gate()` into it lets the import go on.
 */
async function collection(name: string, seeds: number[], gateAt?: number): Promise<{ folder: string; gate: () => Promise<void> }> {
  const folder = path.join(root, name);
  fs.mkdirSync(path.join(folder, 'images'), { recursive: true });
  const lines: string[] = [];
  let gate = async (): Promise<void> => undefined;
  for (const [i, seed] of seeds.entries()) {
    const file = path.join(folder, 'images', `${i + 1}.png`);
    const bytes = await image(seed);
    if (i + 1 === gateAt) {
      expect(spawnSync('mkfifo', [file]).status).toBe(0);
      pipes.push(file);
      gate = () => fs.promises.writeFile(file, bytes);
    } else fs.writeFileSync(file, bytes);
    lines.push(JSON.stringify({ id: `${name}-${i + 1}`, image: `images/${i + 1}.png`, caption_en: `${name} motif ${i + 1}` }));
  }
  fs.writeFileSync(path.join(folder, 'captions.jsonl'), lines.join('\n') + '\n');
  return { folder, gate };
}

function startJinxiu(...args: string[]): { child: ReturnType<typeof spawn>; ended: Promise<Ended> } {
  const child = spawn(process.execPath, [BIN, '--library', lib.dir, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const ended = new Promise<Ended>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, ended };
}

const motifCount = () => lib.db.prepare('SELECT count(*) FROM motifs').pluck().get() as number;
const importJob = (folder: string) =>
  lib.db.prepare(`SELECT id, state, error FROM jobs WHERE kind = ? AND json_extract(params, '$.folder') = ? ORDER BY rowid DESC`).get(IMPORT_JOB, folder) as
    | { id: string; state: string; error: string | null }
    | undefined;

/** Until the import has saved `motifs` motifs in all: it is then waiting at the pipe. */
const heldAt = (motifs: number) => vi.waitFor(() => expect(motifCount()).toBe(motifs), { timeout: 30_000, interval: 50 });

describe.skipIf(process.platform === 'win32')('two processes on one library', () => {
  // Each command starts a Node process with the TypeScript loader: seconds each, more on a busy machine.
  const slow = { timeout: 120_000 };

  it("a second command leaves a running import and the studio's queued job alone; the import finishes and exits 0", slow, async () => {
    // This test process plays the open studio: its queued job must stay its own.
    const studio = new JobQueue(lib.db);
    studio.register(IMPORT_JOB, async () => 'run by the studio');
    const studioCollection = await collection('studio', [31]);
    const studiosJob = studio.enqueue(IMPORT_JOB, { folder: studioCollection.folder });

    const long = await collection('long', [1, 2, 3, 4], 3);
    const short = await collection('short', [11, 12]);
    const first = startJinxiu('motifs', 'import', long.folder);
    await heldAt(2);
    expect(importJob(long.folder)?.state).toBe('running');

    const second = await runJinxiu(lib.dir, 'motifs', 'import', short.folder);
    expect(second).toMatchObject({ code: 0, stdout: 'heritage collection, 2 images: 2 imported, 0 already in, 0 duplicates, 0 failed\n' });
    expect(importJob(long.folder)?.state).toBe('running');
    expect(first.child.exitCode).toBeNull();

    await long.gate();
    const ended = await first.ended;
    expect(ended).toMatchObject({ code: 0, stdout: 'heritage collection, 4 images: 4 imported, 0 already in, 0 duplicates, 0 failed\n' });
    expect(importJob(long.folder)).toMatchObject({ state: 'succeeded', error: null });
    expect(motifCount()).toBe(6);

    expect(studio.get(studiosJob.id).state).toBe('queued');
    studio.start();
    expect(await studio.waitFor(studiosJob.id)).toMatchObject({ state: 'succeeded', result: 'run by the studio' });
    await studio.stop();
  });

  it('a killed import is marked interrupted by the next start and resumes; a cancelled one exits non-zero', slow, async () => {
    const long = await collection('long', [1, 2, 3, 4], 3);
    const killed = startJinxiu('motifs', 'import', long.folder);
    await heldAt(2);
    killed.child.kill('SIGKILL');
    expect((await killed.ended).signal).toBe('SIGKILL');
    const killedJob = importJob(long.folder)!;
    expect(killedJob.state).toBe('running');

    // The same command again is the next start: it marks the killed one's job and goes on where it stopped.
    const again = startJinxiu('motifs', 'import', long.folder);
    await long.gate();
    expect(await again.ended).toMatchObject({ code: 0, stdout: 'heritage collection, 4 images: 2 imported, 2 already in, 0 duplicates, 0 failed\n' });
    expect(lib.db.prepare('SELECT state, error FROM jobs WHERE id = ?').get(killedJob.id)).toEqual({
      state: 'interrupted',
      error: JSON.stringify({ code: 'JOB_INTERRUPTED', message: `The process running this job (pid ${killed.child.pid}) ended before the job finished.` }),
    });

    // Ctrl-C stops it between images: what is in stays in, and the command says it did not finish.
    const more = await collection('more', [21, 22, 23], 2);
    const interrupted = startJinxiu('motifs', 'import', more.folder);
    await heldAt(5);
    interrupted.child.kill('SIGINT');
    await more.gate();
    const stopped = await interrupted.ended;
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toBe('');
    expect(stopped.stderr).toContain('jinxiu: The import stopped before it finished: The job was cancelled. Run the same command again to go on where it stopped. [JOB_CANCELLED]');
    expect(importJob(more.folder)?.state).toBe('cancelled');
  });
});
