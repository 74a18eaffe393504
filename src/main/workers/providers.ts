import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError } from '../../shared/contract/errors';
import { InferenceWorker } from './inference-client';
import type { WorkerLauncher } from './port';
import { PROVIDER_NAMES, type ProviderName } from './protocol';

/** DESIGN.md's order of preference. */
export const PROBE_ORDER: readonly ProviderName[] = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'];

const ONLY_ON: Partial<Record<ProviderName, { platform: NodeJS.Platform; name: string }>> = {
  dml: { platform: 'win32', name: 'Windows' },
  coreml: { platform: 'darwin', name: 'macOS' },
};

/** The probe model shipped with the app, found from the sources (the app passes its own resources path). */
export const PROBE_MODEL_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/models/probe/add.onnx');

export const ProviderReportSchema = z.object({
  provider: z.enum(PROVIDER_NAMES),
  status: z.enum(['available', 'failed', 'skipped']),
  reason: z.string().optional(),
  ms: z.number().optional(),
});
export type ProviderReport = z.infer<typeof ProviderReportSchema>;

export const ProbeReportSchema = z.object({
  chosen: z.enum(PROVIDER_NAMES),
  providers: z.array(ProviderReportSchema),
  onnxruntime: z.string(),
  platform: z.string(),
  probedAt: z.string(),
  ms: z.number(),
});
export type ProbeReport = z.infer<typeof ProbeReportSchema>;

export interface ProbeOptions {
  launch: WorkerLauncher;
  modelPath?: string;
  platform?: NodeJS.Platform;
  arch?: string;
  order?: readonly ProviderName[];
  /** A provider that takes longer than this (a driver hanging) counts as failed. */
  perProviderTimeoutMs?: number;
}

/**
 * Tries each execution provider in a throwaway worker process: create a session on the probe model
 * with that provider alone and run it once. A provider whose native library crashes the process is
 * reported as failed, and the remaining providers go on in a fresh process. The first that works
 * is chosen; CPU always closes the list.
 */
export async function probeProviders(options: ProbeOptions): Promise<ProbeReport> {
  const started = performance.now();
  const platform = options.platform ?? process.platform;
  const modelPath = options.modelPath ?? PROBE_MODEL_PATH;
  const timeoutMs = options.perProviderTimeoutMs ?? 60_000;
  const worker = new InferenceWorker({ launch: options.launch });
  const providers: ProviderReport[] = [];
  try {
    for (const provider of options.order ?? PROBE_ORDER) {
      const only = ONLY_ON[provider];
      if (only && only.platform !== platform) {
        providers.push({ provider, status: 'skipped', reason: `${only.name} only` });
        continue;
      }
      try {
        const trial = await worker.probe(provider, modelPath, { timeoutMs });
        providers.push(trial.ok ? { provider, status: 'available', ms: trial.ms } : { provider, status: 'failed', reason: trial.reason ?? 'failed', ms: trial.ms });
      } catch (err) {
        // WORKER_CRASHED here is exactly what the throwaway process is for; the next probe restarts it.
        providers.push({ provider, status: 'failed', reason: err instanceof Error ? err.message : String(err) });
      }
    }
  } finally {
    await worker.shutdown();
  }
  const chosen = providers.find((p) => p.status === 'available')?.provider;
  if (!chosen) {
    const reasons = providers.map((p) => `${p.provider}: ${p.reason ?? p.status}`).join('; ');
    throw new AppError('INTERNAL', `No execution provider works on this machine, not even CPU (${reasons}).`, { providers });
  }
  return {
    chosen,
    providers,
    onnxruntime: worker.versions?.onnxruntime ?? onnxruntimeVersion(),
    platform: `${platform}-${options.arch ?? process.arch}`,
    probedAt: new Date().toISOString(),
    ms: Math.round(performance.now() - started),
  };
}

/** The installed onnxruntime-node, read from its package.json so the main process never loads the native binding. */
export function onnxruntimeVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('onnxruntime-node/package.json') as { version: string }).version;
}
