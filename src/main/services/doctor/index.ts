import type { LibraryInfo } from '../../../shared/contract';
import { AppError, type AppErrorData } from '../../../shared/contract/errors';
import { onnxruntimeVersion, probeProviders, saveProviderChoice, type ProbeReport, type WorkerLauncher } from '../../workers';
import type { Library } from '../library';

export interface DoctorInput {
  versions: { app: string; node: string; electron: string | null; platform: string };
  libraryPath: string;
  /** Opens the library; may throw (a corrupt file, a schema newer than the app), which the report shows. */
  openLibrary: () => Library;
  launch: WorkerLauncher;
  probeModelPath?: string;
}

export interface DoctorReport {
  healthy: boolean;
  /** Why not healthy, one line each. */
  problems: string[];
  app: string;
  node: string;
  electron: string | null;
  onnxruntime: string;
  platform: string;
  providers: ProbeReport | { error: AppErrorData };
  library: { path: string; ok: boolean; info?: LibraryInfo; error?: AppErrorData };
}

const toData = (err: unknown): AppErrorData =>
  err instanceof AppError ? err.toData() : { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };

/**
 * `jinxiu doctor`: what this installation runs on and whether its library is sound. It always runs
 * a fresh execution-provider probe (in throwaway processes) and, when the library is healthy,
 * stores the result as the library's provider choice, so doctor doubles as "re-probe".
 */
export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const problems: string[] = [];

  let library: DoctorReport['library'];
  let opened: Library | null = null;
  try {
    opened = input.openLibrary();
    const info = opened.info();
    const ok = info.integrity === 'ok';
    if (!ok) problems.push(`library integrity check: ${info.integrity}`);
    library = { path: info.path, ok, info };
  } catch (err) {
    const error = toData(err);
    problems.push(`library: ${error.message}`);
    library = { path: input.libraryPath, ok: false, error };
  }

  let providers: DoctorReport['providers'];
  try {
    const report = await probeProviders({ launch: input.launch, ...(input.probeModelPath ? { modelPath: input.probeModelPath } : {}) });
    if (opened && library.ok && opened.db.open) saveProviderChoice(opened.db, report);
    providers = report;
  } catch (err) {
    const error = toData(err);
    problems.push(`execution providers: ${error.message}`);
    providers = { error };
  }

  return {
    healthy: problems.length === 0,
    problems,
    ...input.versions,
    onnxruntime: 'onnxruntime' in providers ? providers.onnxruntime : onnxruntimeVersion(),
    providers,
    library,
  };
}

/** The report as the terminal shows it. */
export function formatDoctor(report: DoctorReport): string[] {
  const lines = [
    `app          Jinxiu Studio ${report.app}`,
    `node         ${report.node}`,
    `electron     ${report.electron ?? 'not running in Electron'}`,
    `onnxruntime  onnxruntime-node ${report.onnxruntime}`,
    `platform     ${report.platform}`,
    '',
  ];
  if ('error' in report.providers) {
    lines.push(`providers    probe failed: ${report.providers.error.message}`);
  } else {
    const p = report.providers;
    lines.push(`providers    chosen: ${p.chosen} (probed ${p.probedAt}, ${p.ms} ms)`);
    for (const r of p.providers) {
      const detail = r.status === 'available' ? `${r.ms ?? '?'} ms` : (r.reason ?? '');
      lines.push(`  ${r.provider.padEnd(8)} ${r.status.padEnd(10)} ${detail}`.trimEnd());
    }
  }
  lines.push('');
  const lib = report.library;
  lines.push(`library      ${lib.path}`);
  if (lib.info) {
    lines.push(`  schema     v${lib.info.schemaVersion}`);
    lines.push(`  integrity  ${lib.info.integrity}`);
    lines.push(`  size       ${lib.info.sizeBytes} bytes (database), ${lib.info.files.bytes} bytes in ${lib.info.files.count} files`);
    lines.push(`  counts     ${Object.entries(lib.info.counts).map(([t, n]) => `${t} ${n}`).join(', ')}`);
  } else if (lib.error) {
    lines.push(`  error      ${lib.error.message} [${lib.error.code}]`);
  }
  lines.push('');
  lines.push(report.healthy ? 'healthy' : `NOT HEALTHY: ${report.problems.join('; ')}`);
  return lines;
}
