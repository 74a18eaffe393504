import { Command } from 'commander';
import { reportCliError, wantsJson } from './cli-errors';
import { Studio, defaultLibraryDir } from './studio';
import { APP_VERSION } from './version';
import { registerModelCommands } from './services/models';
import { registerDoctorCommand } from './services/doctor/command';
import { registerMotifCommands } from './services/motif';
import { registerGarmentCommands } from './services/garment';
import { registerSwatchCommands } from './services/swatches';
import { registerRenderCommand } from './services/render';
import { registerTechPackCommands } from './services/techpack';

/**
 * `jinxiu`: the headless command line over the same services as the app. Each domain adds its
 * commands in a function `register<Domain>Commands(program, ctx)`.
 */
export interface CliContext {
  /** Opens the studio for the --library option (or the default), once per command. */
  openStudio(): Studio;
  out(line: string): void;
  err(line: string): void;
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('jinxiu')
    .description('Jinxiu Studio on the command line')
    .version(APP_VERSION)
    .option('--library <dir>', 'library folder (default: $JINXIU_LIBRARY or ~/JinxiuStudio)')
    .option('--json', 'print machine-readable JSON')
    .exitOverride()
    // Usage errors are printed by main() like every other error (one line, JSON with --json).
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()), outputError: () => undefined });

  const library = program.command('library').description('the project library');
  library
    .command('info')
    .description('the library path, schema version, sizes and health')
    .action(() => {
      const studio = ctx.openStudio();
      const info = studio.library.info();
      if (program.opts().json) ctx.out(JSON.stringify(info, null, 2));
      else {
        ctx.out(`library   ${info.path}`);
        ctx.out(`schema    v${info.schemaVersion}`);
        ctx.out(`size      ${info.sizeBytes} bytes (database), ${info.files.bytes} bytes in ${info.files.count} files`);
        ctx.out(`health    ${info.integrity}`);
        for (const [table, n] of Object.entries(info.counts)) ctx.out(`${table.padEnd(12)}${n}`);
      }
    });

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
