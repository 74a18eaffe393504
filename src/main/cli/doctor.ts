import type { Command } from 'commander';
import { AppError } from '../../shared/contract/errors';
import type { CliContext } from './context';
import { defaultLibraryDir } from '../studio';
import { APP_VERSION } from '../version';
import { forkLauncher } from '../workers';
import { formatDoctor, runDoctor } from '../services/doctor';

/** `jinxiu doctor [--json]`: exits non-zero when the library (or every execution provider) is unwell. */
export function registerDoctorCommand(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('versions, execution providers (probed afresh and stored) and the health of the library')
    .action(async () => {
      const opts = program.opts<{ library?: string; json?: boolean }>();
      const report = await runDoctor({
        versions: {
          app: APP_VERSION,
          node: process.versions.node,
          electron: process.versions.electron ?? null,
          platform: `${process.platform}-${process.arch}`,
        },
        libraryPath: opts.library ?? defaultLibraryDir(),
        openLibrary: () => ctx.openStudio().library,
        // The CLI is plain Node, so the probe forks its throwaway workers itself, even when the library will not open.
        launch: forkLauncher({ quiet: true }),
      });
      if (opts.json) ctx.out(JSON.stringify(report, null, 2));
      else for (const line of formatDoctor(report)) ctx.out(line);
      if (!report.healthy) {
        const code = report.library.error?.code ?? (report.library.ok ? 'INTERNAL' : 'LIBRARY_CORRUPT');
        throw new AppError(code, `doctor found problems: ${report.problems.join('; ')}`);
      }
    });
}
