import { Command } from 'commander';
import { Studio, defaultLibraryDir } from '../studio';
import { APP_VERSION } from '../version';
import type { CliContext } from './context';
import { registerDoctorCommand } from './doctor';
import { reportCliError, wantsJson } from './errors';
import { registerGarmentCommands } from './garment';
import { registerLibraryCommands } from './library';
import { registerModelCommands } from './models';
import { registerMotifCommands } from './motifs';
import { registerRenderCommand } from './render';
import { registerSwatchCommands } from './swatches';
import { registerTechPackCommands } from './techpack';

/**
 * `jinxiu`: the headless command line over the same Studio as the app. Each domain's commands live in
 * ./<domain>.ts as `register<Domain>Commands(program, ctx)`, mapping options onto the studio's services.
 */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('jinxiu')
    .description('Jinxiu Studio on the command line')
    .version(APP_VERSION)
    .option('--library <dir>', 'library folder (default: $JINXIU_LIBRARY or ~/JinxiuStudio)')
    .option('--json', 'print machine-readable JSON')
    .exitOverride()
    // Usage errors are printed by main() like every other error (one line, JSON with --json).
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()), outputError: () => undefined });

  registerLibraryCommands(program, ctx);
  registerDoctorCommand(program, ctx);
  registerModelCommands(program, ctx);
  registerMotifCommands(program, ctx);
  registerGarmentCommands(program, ctx);
  registerSwatchCommands(program, ctx);
  registerRenderCommand(program, ctx);
  registerTechPackCommands(program, ctx);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let studio: Studio | null = null;
  const ctx: CliContext = {
    openStudio() {
      // A command runs only the jobs it starts: the studio's queued work stays the studio's.
      studio ??= Studio.open({ libraryDir: (program.opts().library as string | undefined) ?? defaultLibraryDir(), adoptOrphanJobs: false });
      return studio;
    },
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    return reportCliError(err, wantsJson(program.opts().json, argv), ctx.err);
  } finally {
    // The Studio type narrows to never inside the closure's view; cast to close it if it was opened.
    await (studio as Studio | null)?.close();
  }
}
