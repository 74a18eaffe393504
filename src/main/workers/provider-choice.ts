import type { Db } from '../services/library';
import { onnxruntimeVersion, probeProviders, ProbeReportSchema, type ProbeOptions, type ProbeReport } from './providers';
import type { ProviderName } from './protocol';

/** The settings key that holds the last probe report and its choice. */
export const PROVIDERS_SETTING = 'inference.providers';

/** The stored report, or null when there is none or it no longer parses (then a probe runs again). */
export function readProviderChoice(db: Db): ProbeReport | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(PROVIDERS_SETTING) as { value: string } | undefined;
  if (!row) return null;
  try {
    const parsed = ProbeReportSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveProviderChoice(db: Db, report: ProbeReport): void {
  db.prepare(
    `INSERT INTO settings (key, value) VALUES (?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
  ).run(PROVIDERS_SETTING, JSON.stringify(report));
}

/** A report made by another onnxruntime or on another platform (a library moved between machines) is stale. */
export function isStale(report: ProbeReport, platform = `${process.platform}-${process.arch}`): boolean {
  return report.onnxruntime !== onnxruntimeVersion() || report.platform !== platform;
}

/**
 * The execution-provider choice for this library: the stored one while it is still valid, otherwise
 * (or with `reprobe`) a fresh probe, which is then stored. `probed` says which happened.
 */
export async function ensureProviderChoice(
  db: Db,
  options: ProbeOptions & { reprobe?: boolean },
): Promise<{ report: ProbeReport; probed: boolean }> {
  const stored = options.reprobe ? null : readProviderChoice(db);
  if (stored && !isStale(stored)) return { report: stored, probed: false };
  const report = await probeProviders(options);
  // The library may have been closed while the probe ran (the CLI exits, the app quits).
  if (db.open) saveProviderChoice(db, report);
  return { report, probed: true };
}

/** Providers to create sessions with: the choice, then CPU as the fallback. */
export function providersFor(report: ProbeReport): ProviderName[] {
  return report.chosen === 'cpu' ? ['cpu'] : [report.chosen, 'cpu'];
}
