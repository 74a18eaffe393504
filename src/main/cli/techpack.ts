import fs from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../shared/contract';
import { PAPER_SIZES, type Paper, type PreflightReport } from '../../shared/techpack';
import type { CliContext } from './context';
import { wholeNumberOption } from './options';

function paperOf(text: string | undefined): Paper | undefined {
  if (text === undefined) return undefined;
  if (!(PAPER_SIZES as readonly string[]).includes(text)) throw new AppError('INVALID_INPUT', `--paper is ${PAPER_SIZES.join(' or ')}, not "${text}".`);
  return text as Paper;
}

function formatOf(text: string): 'pdf' | 'png' {
  if (text !== 'pdf' && text !== 'png') throw new AppError('INVALID_INPUT', `--format is pdf or png, not "${text}".`);
  return text;
}

/** The resolutions an export takes (TechPackExportRequestSchema), checked before a studio is opened. */
const MIN_DPI = 36;
const MAX_DPI = 600;

function printReport(ctx: CliContext, r: PreflightReport): void {
  for (const i of r.issues) ctx.out(`${i.severity.padEnd(8)}${i.code.padEnd(26)}${i.target.section}${i.target.itemId ? `#${i.target.itemId}` : ''}  ${i.message}`);
  ctx.out(`${r.errors} error(s), ${r.warnings} warning(s)`);
}

/** `jinxiu techpack export|preflight|revisions|set|show`. */
export function registerTechPackCommands(program: Command, ctx: CliContext): void {
  const techpack = program.command('techpack').description('tech packs: the document a factory receives');
  const service = () => ctx.openStudio().techpacks;
  const json = (cmd: Command) => Boolean(cmd.optsWithGlobals().json);

  techpack
    .command('export')
    .description('preflight, record a revision if anything changed, and write the sheets as PDF or PNG')
    .requiredOption('--project <id>', 'project id')
    .requiredOption('--format <format>', 'pdf or png')
    .requiredOption('--out <path>', 'the PDF file, or the folder for PNG sheets')
    .option('--paper <size>', 'a4 or letter (default: the tech pack setting)')
    .option('--dpi <n>', `PNG resolution, ${MIN_DPI} to ${MAX_DPI} (default 150)`, wholeNumberOption('--dpi', MIN_DPI, MAX_DPI))
    .option('--revision <n>', 're-export this recorded revision, byte for byte', wholeNumberOption('--revision', 1, Number.MAX_SAFE_INTEGER))
    .action(async (opts: { project: string; format: string; out: string; paper?: string; dpi?: number; revision?: number }, cmd: Command) => {
      const request = { projectId: opts.project, format: formatOf(opts.format), out: opts.out, paper: paperOf(opts.paper), dpi: opts.dpi };
      const { revision } = opts;
      const result = revision !== undefined ? await service().exportRevision({ ...request, revision }) : await service().export(request);
      if (json(cmd)) return ctx.out(JSON.stringify(result, null, 2));
      if (result.preflight.warnings) printReport(ctx, result.preflight);
      ctx.out(`revision ${result.revision}${result.newRevision ? ' (new)' : ''}`);
      for (const f of result.files) ctx.out(`${f.path}  ${f.bytes} bytes  sha256 ${f.sha256}`);
    });

  techpack
    .command('preflight')
    .description('check the tech pack before export; exits 1 when there are errors')
    .requiredOption('--project <id>', 'project id')
    .option('--paper <size>', 'a4 or letter')
    .action((opts: { project: string; paper?: string }, cmd: Command) => {
      const r = service().preflight(opts.project, paperOf(opts.paper));
      if (json(cmd)) ctx.out(JSON.stringify(r, null, 2));
      else printReport(ctx, r);
      if (!r.ok) throw new AppError('INVALID_INPUT', `${r.errors} preflight error(s).`);
    });

  techpack
    .command('revisions')
    .description('the recorded revisions of a project tech pack')
    .requiredOption('--project <id>', 'project id')
    .action((opts: { project: string }, cmd: Command) => {
      const list = service().revisions(opts.project);
      if (json(cmd)) return ctx.out(JSON.stringify(list, null, 2));
      for (const r of list) {
        ctx.out(`${String(r.revision).padStart(3)}  ${r.createdAt}  ${r.fileSha256 ?? '-'}  ${r.note}`);
        // The files exported from the revision, under it.
        for (const e of r.exports) ctx.out(`       ${e.exportedAt}  ${e.format}  ${e.files} file(s)  ${e.path}`);
      }
    });

  techpack
    .command('set')
    .description('replace the tech pack document with a JSON file (validated; nothing changes if it is refused)')
    .requiredOption('--project <id>', 'project id')
    .requiredOption('--file <path>', 'tech pack document (JSON)')
    .action((opts: { project: string; file: string }) => {
      let doc: unknown;
      try {
        doc = JSON.parse(fs.readFileSync(opts.file, 'utf8'));
      } catch (e) {
        throw new AppError('INVALID_INPUT', `Cannot read ${opts.file} as JSON: ${(e as Error).message}`);
      }
      service().save(opts.project, doc);
      ctx.out('saved');
    });

  techpack
    .command('show')
    .description('print the tech pack document as JSON')
    .requiredOption('--project <id>', 'project id')
    .action((opts: { project: string }) => ctx.out(JSON.stringify(service().get(opts.project).document, null, 2)));
}
