import path from 'node:path';
import type { Command } from 'commander';
import { AppError, type Job } from '../../shared/contract';
import type { AssembleResult, CatalogueRecipe, InstalledPack } from '../../shared/contract/models';
import type { Studio } from '../studio';
import type { CliContext } from './context';
import { formatBytes } from '../services/models';

/** `jinxiu models list|verify|install|remove|default|catalogue|download`. */
export function registerModelCommands(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('model packs: install, verify, download, remove');
  const studio = () => ctx.openStudio();
  const json = (cmd: Command) => Boolean(cmd.optsWithGlobals().json);

  models
    .command('list')
    .description('installed and bundled packs')
    .action(async (_opts, cmd: Command) => {
      const packs = await studio().models.list();
      if (json(cmd)) return ctx.out(JSON.stringify(packs, null, 2));
      if (packs.length === 0) ctx.out('no model packs installed');
      for (const p of packs) ctx.out(packLine(p));
    });

  models
    .command('verify <id>')
    .description('hash every file of a pack against its manifest')
    .action(async (id: string, _opts, cmd: Command) => {
      const result = await studio().models.verify(id);
      if (json(cmd)) ctx.out(JSON.stringify(result, null, 2));
      else if (result.ok) ctx.out(`${id}: all files verify`);
      else for (const p of result.problems) ctx.out(`${id}: ${p.message}`);
      if (!result.ok) throw new AppError('MODEL_INVALID', `${id} does not verify (${result.problems.length} problem${result.problems.length > 1 ? 's' : ''}).`);
    });

  models
    .command('install <path>')
    .description("install a pack from a folder or a .zip, or assemble your own SD 1.5 checkpoint (.safetensors) with the catalogue's IP-Adapter, image encoder and ControlNet")
    .option('--name <name>', 'the name of the pack made from a checkpoint (its id is own-<name>)')
    .option('--accept-licence <id...>', 'accept a licence of the catalogue files a checkpoint is assembled with')
    .option('--catalogue <file>', 'a catalogue.json to use instead of the one shipped with the app (a mirror)')
    .action(async (source: string, opts: { name?: string; acceptLicence?: string[]; catalogue?: string }, cmd: Command) => {
      const s = studio();
      if (!/\.(safetensors|ckpt|pt|pth|bin)$/i.test(source)) {
        const pack = await s.models.installFromPath(source);
        return ctx.out(json(cmd) ? JSON.stringify(pack, null, 2) : `installed ${pack.id} ${pack.version} (${formatBytes(pack.sizeBytes)})`);
      }
      // A checkpoint is assembled as a models.assemble job: progress lines, Ctrl-C pauses, the same command resumes.
      const job = await s.models.startCheckpoint(source, {
        name: opts.name,
        accepted: opts.acceptLicence ?? [],
        cataloguePath: opts.catalogue ? path.resolve(opts.catalogue) : undefined,
      });
      await followAssembly(ctx, s, job, path.basename(source), cmd);
    });

  models
    .command('remove <id>')
    .description('remove a pack from the library')
    .action(async (id: string) => {
      await studio().models.remove(id);
      ctx.out(`removed ${id}`);
    });

  models
    .command('default <id>')
    .description('make a pack the default of its kind')
    .action(async (id: string) => {
      const pack = await studio().models.setDefault(id);
      ctx.out(`${pack.id} is now the default ${pack.kind} pack`);
    });

  models
    .command('catalogue')
    .description('packs that can be downloaded, and recipes whose public files are downloaded and assembled into packs')
    .option('--catalogue <file>', 'a catalogue.json to use instead of the one shipped with the app (a mirror)')
    .action((opts: { catalogue?: string }, cmd: Command) => {
      const s = studio();
      const items = s.models.catalogue();
      const recipes = s.models.catalogueRecipes(opts.catalogue ? path.resolve(opts.catalogue) : undefined);
      if (json(cmd)) return ctx.out(JSON.stringify({ packs: items, recipes }, null, 2));
      for (const i of items) {
        const state = i.installedVersion ? `installed ${i.installedVersion}` : i.partialBytes > 0 ? `paused, ${formatBytes(i.partialBytes)} downloaded` : 'available';
        ctx.out(`${i.id.padEnd(28)} ${i.version.padEnd(10)} ${i.kind.padEnd(8)} ${state}`);
      }
      for (const r of recipes) for (const line of recipeLines(r)) ctx.out(line);
    });

  models
    .command('install-recipe <id>')
    .description("download a catalogue recipe's public files and assemble them into a pack")
    .option('--accept-licence <id...>', 'accept a licence the recipe\'s files come under (jinxiu models catalogue names them)')
    .option('--catalogue <file>', 'a catalogue.json to use instead of the one shipped with the app (a mirror)')
    .option('--recipes <folder>', "recipe folders to use instead of the app's (recipes/<id>/recipe.json)")
    .action(async (id: string, opts: { acceptLicence?: string[]; catalogue?: string; recipes?: string }, cmd: Command) => {
      const s = studio();
      const job = s.models.startRecipe(id, {
        accepted: opts.acceptLicence ?? [],
        cataloguePath: opts.catalogue ? path.resolve(opts.catalogue) : undefined,
        recipesDir: opts.recipes ? path.resolve(opts.recipes) : undefined,
      });
      await followAssembly(ctx, s, job, id, cmd, `the recipe ${id}`);
    });

  models
    .command('download <id>')
    .description('download (or resume) a catalogue pack; Ctrl-C pauses it')
    .option('--catalogue <file>', 'a catalogue.json to use instead of the one shipped with the app (a mirror)')
    .action(async (id: string, opts: { catalogue?: string }, cmd: Command) => {
      const s = studio();
      const job = s.models.download(id, opts.catalogue ? { cataloguePath: path.resolve(opts.catalogue) } : {});
      s.start();
      const onProgress = (event: string, payload: unknown) => {
        const p = payload as { id: string; progress: { message?: string } };
        if (event === 'job.progress' && p.id === job.id && p.progress.message) ctx.err(`${id}: ${p.progress.message}`);
      };
      const unsubscribe = s.events.subscribe(onProgress);
      const pause = () => s.models.pause(job.id);
      process.once('SIGINT', pause);
      let done: Job;
      try {
        done = await s.jobs.waitFor(job.id);
      } finally {
        unsubscribe();
        process.off('SIGINT', pause);
      }
      if (json(cmd)) ctx.out(JSON.stringify(done, null, 2));
      if (done.state === 'succeeded') return ctx.out(`downloaded ${id}`);
      if (done.state === 'cancelled') return ctx.out(`paused ${id}; run the same command again to resume`);
      throw new AppError((done.error?.code as AppError['code']) ?? 'INTERNAL', done.error?.message ?? `The download of ${id} ${done.state}.`);
    });
}

/**
 * Runs a models.assemble job in this command and prints its progress to stderr; Ctrl-C pauses it
 * (what is downloaded and assembled is kept), and the same command again resumes it.
 */
async function followAssembly(ctx: CliContext, s: Studio, job: Job, label: string, cmd: Command, from = label): Promise<void> {
  s.start();
  let lastLine = '';
  const unsubscribe = s.events.subscribe((event: string, payload: unknown) => {
    const p = payload as { id: string; progress: { step?: number; total?: number; message?: string } };
    if (event !== 'job.progress' || p.id !== job.id || !p.progress.message) return;
    const { step, total, message } = p.progress;
    const line = `${label}: ${message}${step !== undefined && total ? ` (${formatBytes(step)} of ${formatBytes(total)}, ${Math.floor((100 * step) / total)}%)` : ''}`;
    if (line !== lastLine) ctx.err(line);
    lastLine = line;
  });
  let paused = false;
  const pause = () => {
    paused = true;
    s.models.pause(job.id);
  };
  process.once('SIGINT', pause);
  let done: Job;
  try {
    done = await s.jobs.waitFor(job.id);
  } finally {
    unsubscribe();
    process.off('SIGINT', pause);
  }
  if (done.state === 'succeeded') {
    const offers = done.result as AssembleResult;
    const pack = (await s.models.list()).find((p) => p.id === offers.packId && p.source === 'library')!;
    ctx.out(json(cmd) ? JSON.stringify(pack, null, 2) : `installed ${pack.id} ${pack.version} (${formatBytes(pack.sizeBytes)}) from ${from}`);
    if (!json(cmd) && offers.offerDefault) ctx.err(`${pack.id} can be the default ${pack.kind} pack: jinxiu models default ${pack.id}`);
    if (!json(cmd) && offers.offerReindex) ctx.err('the motif library is indexed with another pack: jinxiu motifs reindex to search it with this one');
    return;
  }
  if (json(cmd)) ctx.out(JSON.stringify(done, null, 2));
  if (done.state === 'cancelled' && paused) {
    return ctx.out(`paused ${label}; run the same command again to resume`);
  }
  throw new AppError((done.error?.code as AppError['code']) ?? 'INTERNAL', done.error?.message ?? `The assembly of ${label} ${done.state}.`);
}

function json(cmd: Command): boolean {
  return Boolean(cmd.optsWithGlobals().json);
}

function packLine(p: InstalledPack): string {
  const flags = [p.isDefault ? 'default' : '', p.source === 'bundled' ? 'bundled' : '', p.inUse ? 'in use' : ''].filter(Boolean).join(', ');
  return `${p.id.padEnd(28)} ${p.version.padEnd(10)} ${p.kind.padEnd(8)} ${formatBytes(p.sizeBytes).padStart(9)}  ${p.verification.status.padEnd(10)} ${p.licence}${flags ? `  (${flags})` : ''}`;
}

/** A recipe and its files; sizes the publisher does not list make the totals "at least". */
function recipeLines(r: CatalogueRecipe): string[] {
  const atLeast = r.sizesComplete ? '' : 'at least ';
  const lines = [
    `recipe ${r.id} (${r.kind}): ${r.name}; download ${atLeast}${formatBytes(r.downloadBytes)}, needs ${atLeast}${formatBytes(r.assemblyBytes)} free while assembling`,
  ];
  for (const f of r.files) {
    const size = f.sizeBytes === null ? 'size from the server' : formatBytes(f.sizeBytes);
    const check = f.verify === 'sha256' ? `sha256 ${f.sha256}` : 'sha256 stated by the server at first download, then pinned';
    const accept = f.licence.mustAccept ? ` (accept with --accept-licence ${f.licence.id})` : '';
    lines.push(`  ${f.role.padEnd(14)} ${f.name}: ${size}, ${check}; ${f.licence.name}${accept}`, `  ${''.padEnd(14)} ${f.url}`);
  }
  return lines;
}
