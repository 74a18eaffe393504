import path from 'node:path';
import type { Command } from 'commander';
import { AppError, type Job } from '../../../shared/contract';
import { MotifImportRequest } from '../../../shared/contract/motifs';
import type { CliContext } from '../../cli';
import type { ImportReport } from './import';
import type { IndexReport } from './vectors';

/** `jinxiu motifs import|index|search`. */
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
      if (json(cmd)) return ctx.out(JSON.stringify(done, null, 2));
      if (done.state === 'cancelled') return ctx.out('import stopped; run the same command again to go on where it stopped');
      if (done.state !== 'succeeded') {
        throw new AppError((done.error?.code as AppError['code']) ?? 'INTERNAL', done.error?.message ?? `The import ${done.state}.`);
      }
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
      if (json(cmd)) return ctx.out(JSON.stringify(done, null, 2));
      if (done.state === 'cancelled') return ctx.out('indexing stopped; run the same command again to go on');
      if (done.state !== 'succeeded') throw new AppError((done.error?.code as AppError['code']) ?? 'INTERNAL', done.error?.message ?? `Indexing ${done.state}.`);
      const r = done.result as IndexReport;
      ctx.out(`${r.pack.id} ${r.pack.version}: ${r.indexed} of ${r.total} motifs indexed, ${r.failed} failed`);
      for (const p of r.problems) ctx.out(`  ${p.motifId}: ${p.message}`);
    });

  motifs
    .command('search <query...>')
    .description('search captions in Chinese or English (lotus finds 莲花 and the reverse); --model searches the images')
    .option('--limit <n>', 'how many results', '20')
    .option('--model', 'search by the motif pack (LACLIP over whole images and crops) instead of captions')
    .action(async (words: string[], opts: { limit: string; model?: boolean }, cmd: Command) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new AppError('INVALID_INPUT', `--limit must be a whole number from 1 to 500, not ${opts.limit}.`);
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

function stripUndefined(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));
}
