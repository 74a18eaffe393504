import type { Command } from 'commander';
import type { CliContext } from './context';

/** `jinxiu library info`. */
export function registerLibraryCommands(program: Command, ctx: CliContext): void {
  const library = program.command('library').description('the project library');
  library
    .command('info')
    .description('the library path, schema version, sizes and health')
    .action((_opts, cmd: Command) => {
      const info = ctx.openStudio().library.info();
      if (cmd.optsWithGlobals().json) ctx.out(JSON.stringify(info, null, 2));
      else {
        ctx.out(`library   ${info.path}`);
        ctx.out(`schema    v${info.schemaVersion}`);
        ctx.out(`size      ${info.sizeBytes} bytes (database), ${info.files.bytes} bytes in ${info.files.count} files`);
        ctx.out(`health    ${info.integrity}`);
        for (const [table, n] of Object.entries(info.counts)) ctx.out(`${table.padEnd(12)}${n}`);
      }
    });
}
