import path from 'node:path';
import type { Command } from 'commander';
import { AppError, type Job } from '../../shared/contract';
import { MotifImportRequest, MotifSearchRequest } from '../../shared/contract/motifs';
import type { CliContext } from './context';
import { isPlainDecimal, parseDecimal, wholeNumberOption } from './options';
import { DEFAULT_RRF_K, isLibraryFileRef, type ImportReport, type IndexReport } from '../services/motif';

/** The bounds of the search channels (src/shared/contract/motifs.ts), checked before a studio is opened. */
const MAX_LIMIT = 500;
const MAX_RRF_K = 10_000;

/** `jinxiu motifs import|index|reindex|status|search|find`. */
export function registerMotifCommands(program: Command, ctx: CliContext): void {
  const motifs = program.command('motifs').description('the heritage motif library: import and search');
  const json = (cmd: Command) => Boolean(cmd.optsWithGlobals().json);

  motifs
    .command('import <folder>')
    .description('import captioned images (captions.jsonl, or Chinese-CLIP/CulTi texts + TSV or image folder); run again to resume')
    .option('--captions <file>', 'the captions JSONL (default: captions.jsonl or the only *.jsonl in the folder)')
    .option('--tsv <file>', 'Chinese-CLIP layout: image_id<TAB>base64 file')
    .option('--images <dir>', 'Chinese-CLIP layout: folder of <image_id>.<ext> files')
    .option('--source <text>', 'credit for records that carry none')
    .option('--licence <text>', 'licence for records that carry none')
    .action(async (folder: string, opts: Record<string, string | undefined>, cmd: Command) => {
      const request = MotifImportRequest.parse({ ...stripUndefined(opts), folder: path.resolve(folder) });
      const s = ctx.openStudio();
      const job = s.motifs.startImport(request);
      s.start();
      // Ctrl-C cancels between images; everything imported so far stays, and the same command resumes.
      const done = await followJob(ctx, job, 'import');
      if (json(cmd)) ctx.out(JSON.stringify(done, null, 2));
      requireSucceeded(done, 'The import', 'Run the same command again to go on where it stopped.');
      if (json(cmd)) return;
      const r = done.result as ImportReport;
      ctx.out(`${r.layout} collection, ${r.total} images: ${r.imported} imported, ${r.alreadyIn} already in, ${r.duplicates} duplicates, ${r.failed} failed`);
      for (const p of r.problems) ctx.out(`  ${p.at}: ${p.message}`);
    });

  motifs
    .command('index')
    .description('encode the motifs not yet indexed with the motif pack (whole image + crops); run again to resume')
    .option('--pack <id>', 'the motif pack (default: the default motif pack)')
    .action(async (opts: { pack?: string }, cmd: Command) => {
      const s = ctx.openStudio();
      const job = s.motifs.startIndex(opts.pack ? { packId: opts.pack } : {});
      s.start();
      const done = await followJob(ctx, job, 'index');
      if (json(cmd)) ctx.out(JSON.stringify(done, null, 2));
      requireSucceeded(done, 'Indexing', 'Run the same command again to go on.');
      if (json(cmd)) return;
      const r = done.result as IndexReport;
      ctx.out(`${r.pack.id} ${r.pack.version}: ${r.indexed} of ${r.total} motifs indexed, ${r.failed} failed`);
      for (const p of r.problems) ctx.out(`  ${p.motifId}: ${p.message}`);
    });

  motifs
    .command('reindex')
    .description('bring the motif vectors up to the motif pack: weights again after a tau change, new embeddings after a pack change')
    .option('--pack <id>', 'the motif pack (default: the default motif pack)')
    .option('--full', 'encode every motif again')
    .action(async (opts: { pack?: string; full?: boolean }, cmd: Command) => {
      const s = ctx.openStudio();
      const job = s.motifs.startReindex({ ...(opts.pack ? { packId: opts.pack } : {}), ...(opts.full ? { full: true } : {}) });
      s.start();
      const done = await followJob(ctx, job, 'reindex');
      if (json(cmd)) ctx.out(JSON.stringify(done, null, 2));
      requireSucceeded(done, 'Re-indexing', 'Run the same command again to go on.');
      if (json(cmd)) return;
      const r = done.result as IndexReport;
      ctx.out(`${r.pack.id} ${r.pack.version}: ${r.indexed} of ${r.total} motifs encoded, ${r.reweighed} re-weighed, ${r.failed} failed, ${r.dropped} stale rows dropped`);
      for (const p of r.problems) ctx.out(`  ${p.motifId}: ${p.message}`);
    });

  motifs
    .command('status')
    .description('whether the motifs are indexed with the motif pack in use')
    .option('--pack <id>', 'the motif pack (default: the default motif pack)')
    .action(async (opts: { pack?: string }, cmd: Command) => {
      const status = await ctx.openStudio().motifs.vectorStatus(opts.pack);
      if (json(cmd)) return ctx.out(JSON.stringify(status, null, 2));
      ctx.out(`${status.state}: ${status.message}`);
    });

  motifs
    .command('find [query...]')
    .description('hybrid search (captions and vectors fused by reciprocal rank) by text, or by an image or a region of one')
    .option('--image <sha256|path>', 'search by this image (a library file sha256 or a path)')
    .option('--box <l,t,r,b>', 'only this region of the image, in fractions of its width and height')
    .option('--mode <mode>', 'hybrid, caption or vector', 'hybrid')
    .option('--rrf-k <k>', 'reciprocal rank fusion k, 0 to 10000', wholeNumberOption('--rrf-k', 0, MAX_RRF_K), DEFAULT_RRF_K)
    .option('--limit <n>', `how many results, 1 to ${MAX_LIMIT}`, wholeNumberOption('--limit', 1, MAX_LIMIT), 20)
    .action(async (words: string[], opts: { image?: string; box?: string; mode: string; rrfK: number; limit: number }, cmd: Command) => {
      const common = { mode: opts.mode, limit: opts.limit, rrfK: opts.rrfK };
      const raw = opts.image
        ? { image: isLibraryFileRef(opts.image) ? opts.image : path.resolve(opts.image), ...(opts.box ? { box: parseBox(opts.box) } : {}), ...common }
        : { text: words.join(' '), ...common };
      const parsed = MotifSearchRequest.safeParse(raw);
      if (!parsed.success) throw new AppError('INVALID_INPUT', parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
      const found = await ctx.openStudio().motifs.search(parsed.data);
      if (json(cmd)) return ctx.out(JSON.stringify(found, null, 2));
      ctx.out(`${found.hits.length} motifs by ${found.used.join(' + ') || 'nothing'}${found.vectors.state === 'ready' ? '' : ` (${found.vectors.message})`}`);
      for (const h of found.hits) {
        const crop = h.crop ? ` crop ${h.crop.index} ${h.crop.score.toFixed(3)}` : '';
        ctx.out(`${h.score.toFixed(4).padStart(8)}  ${h.motif.id}${crop}  ${h.motif.captionZh ?? ''}  ${h.motif.captionEn ?? ''}`.trimEnd());
      }
    });

  motifs
    .command('search <query...>')
    .description('search captions in Chinese or English (lotus finds 莲花 and the reverse); --model searches the images')
    .option('--limit <n>', `how many results, 1 to ${MAX_LIMIT}`, wholeNumberOption('--limit', 1, MAX_LIMIT), 20)
    .option('--model', 'search by the motif pack (LACLIP over whole images and crops) instead of captions')
    .action(async (words: string[], opts: { limit: number; model?: boolean }, cmd: Command) => {
      const { limit } = opts;
      if (opts.model) {
        const found = await ctx.openStudio().motifs.searchByModel(words.join(' '), limit);
        if (json(cmd)) return ctx.out(JSON.stringify(found, null, 2));
        ctx.out(`${found.hits.length} motifs by ${found.pack.id} ${found.pack.version} (${found.indexed} indexed)`);
        for (const h of found.hits) {
          const crop = h.crop ? ` crop ${h.crop.index}${h.crop.box ? ` [${h.crop.box.join(',')}]` : ''}` : '';
          ctx.out(`${h.score.toFixed(3).padStart(7)}  ${h.motif.id}${crop}  ${h.motif.captionZh ?? ''}  ${h.motif.captionEn ?? ''}`.trimEnd());
        }
        return;
      }
      const result = ctx.openStudio().motifs.searchCaptions(words.join(' '), limit);
      if (json(cmd)) return ctx.out(JSON.stringify(result, null, 2));
      ctx.out(`${result.hits.length} motifs for ${result.concepts.map((c) => c.text).join(' + ')}${result.mode === 'any' ? ' (any of them)' : ''}`);
      for (const h of result.hits) {
        ctx.out(`${h.score.toFixed(2).padStart(7)}  ${h.motif.id}  ${h.motif.captionZh ?? ''}  ${h.motif.captionEn ?? ''}`.trimEnd());
      }
    });
}

/** "--box l,t,r,b": four plain decimals, each a fraction of the image from 0 to 1 (the contract checks their order). */
function parseBox(text: string): number[] {
  const parts = text.split(',');
  if (parts.length !== 4 || !parts.every(isPlainDecimal)) throw new AppError('INVALID_INPUT', `--box takes left,top,right,bottom as fractions of the image, e.g. 0.1,0.1,0.6,0.5 (got "${text}").`);
  return parts.map((p) => parseDecimal('--box', p, { min: 0, max: 1 }));
}

/** Waits for a job, printing its progress to stderr; Ctrl-C cancels it between steps. */
async function followJob(ctx: CliContext, job: Job, label: string): Promise<Job> {
  const s = ctx.openStudio();
  const unsubscribe = s.events.subscribe((event, payload) => {
    const p = payload as { id: string; progress: { message?: string; step?: number; total?: number } };
    if (event === 'job.progress' && p.id === job.id) ctx.err(`${label}: ${p.progress.step ?? 0}/${p.progress.total ?? '?'} ${p.progress.message ?? ''}`);
  });
  const cancel = () => s.jobs.cancel(job.id);
  process.once('SIGINT', cancel);
  try {
    return await s.jobs.waitFor(job.id);
  } finally {
    unsubscribe();
    process.off('SIGINT', cancel);
  }
}

/**
 * Work that did not finish (cancelled, interrupted, failed) exits non-zero, even after printing JSON:
 * a script must never take a stopped import for a finished one.
 */
function requireSucceeded(done: Job, what: string, again: string): void {
  if (done.state === 'succeeded') return;
  if (done.state === 'cancelled' || done.state === 'interrupted') {
    const why = done.error?.message ?? `The job was ${done.state}.`;
    throw new AppError((done.error?.code as AppError['code']) ?? 'JOB_CANCELLED', `${what} stopped before it finished: ${why} ${again}`);
  }
  throw new AppError((done.error?.code as AppError['code']) ?? 'INTERNAL', done.error?.message ?? `${what} ${done.state}.`);
}

function stripUndefined(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));
}
