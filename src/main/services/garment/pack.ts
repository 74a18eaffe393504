import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../shared/contract';
import { FabricTableSchema, GarmentManifestSchema, type GarmentManifest } from '../../../shared/packs/manifest';
import type { InferenceWorker, ProviderName, SessionInfo, WireTensor } from '../../workers';
import { checkPackFolder, readManifest } from '../models';
import { parsePythonJson } from './python-json';
import { dynamicBatch, runByRole, type GarmentGraphs, type GraphKey, type GraphRun, type GraphSpec } from './graphs';
import { checkControlResiduals } from './controlnet';
import { checkSketchFeatures } from './sketch';
import type { FabricTable } from './conditioning';
import { checkSignature } from './signature';
import type { GarmentPackRef, StagedGraphs } from './task';
import { ClipTokenizer } from './tokenizer';

export type { GraphKey, GraphRun } from './graphs';

export interface LoadPackOptions {
  /** Hash every file (true by default; the model manager may already have done it for this folder). */
  verifyHashes?: boolean;
  executionProviders?: ProviderName[];
  /** Threads for one operator; onnxruntime's own choice when left out. */
  intraOpNumThreads?: number;
  signal?: AbortSignal;
  /**
   * Staged loading, for a real-size pack on a CPU: each graph is loaded once here to check it and
   * released at once, and every render loads the graphs of one stage at a time in the worker
   * (worker-task.ts), so the peak holds the largest stage, not the whole pack.
   */
  staged?: boolean;
}

/**
 * How the garment sessions run, chosen on purpose (scripts/bench-generate.ts measures the result):
 * - Graph optimisation 'all': onnxruntime's fusions and the NCHWc conv layouts took the least CPU
 *   per UNet run of the four levels (default pack, batch 2, one thread: 14.6 ms against 15.2
 *   extended, 17.6 basic, 18.6 disabled; batch 4: 26.4 against 29.6, 32.0, 31.5).
 * - No spinning: between two UNet runs the worker does guidance, the scheduler step and a progress
 *   message, and the main process wakes for that message; spinning pool threads would take those
 *   cores (under load a batch-2 run took twice as long with spinning).
 * - Sequential execution (onnxruntime's default; the worker does not change it): a UNet is one
 *   chain of operators with little to run side by side, and on two cores an inter-op pool only
 *   competes with the intra-op one (parallel mode took twice the CPU per run: 30.5 ms at batch 2).
 * - Intra-op threads: the caller's, else onnxruntime's own choice (one per physical core). All four
 *   CFG rows of both variants go to one run (pipeline.ts), so each operator has the most work to
 *   split; even so a batch of 4 costs 0.87 to 0.90 of two batches of 2 in CPU time, as the
 *   convolutions dominate and scale with the batch: batching saves per-run and per-operator costs only.
 */
const GARMENT_SESSION_OPTIONS = { graphOptimizationLevel: 'all', allowSpinning: false } as const;

/**
 * A staged pack's sessions: its graphs are multi-GB (SD 1.5's UNet is 3.4 GB of fp32 weights).
 * - No CPU memory arena: the arena keeps the largest chunks it ever grew to and hands out rounded-up
 *   blocks; a 4-row 512 px UNet pass drove a process to 23 GB with it and peaked at 7.3 GB without.
 *   Without it the activations go back to the system after each run and the sessions' memory after
 *   release, which is what lets the next stage fit.
 * - Graph optimisation 'all' still: its NCHWc convolutions are the fastest (see above), and the
 *   optimised copy of the weights replaces the original, so the load's peak is one graph's weights.
 * - Intra-op threads: one per core unless the caller says otherwise (a render is the only work).
 */
const STAGED_SESSION_OPTIONS = { ...GARMENT_SESSION_OPTIONS, cpuMemArena: false } as const;

/**
 * Graphs loaded only when a run needs them (ensureGraph), not with the pack: the VAE encoder serves
 * image-to-image alone, and a real one costs memory that a text-to-image studio never uses.
 */
const ON_DEMAND_GRAPHS: readonly GraphKey[] = ['vaeEncoder'];

type SessionLoader = (key: GraphKey, spec: GraphSpec) => Promise<{ sessionId: string; info: SessionInfo; problems: string[] }>;

/**
 * A garment pack whose files matched their hashes and whose graphs matched the manifest, with one
 * worker session per graph, created once and reused until unload(). Graphs are fed and read by
 * *role* (the manifest's names for what the studio gives and takes); the tensor names of the file
 * stay here.
 */
export class LoadedGarmentPack implements GarmentGraphs {
  /** Sum of raw session.run times of run() since load. */
  runMsTotal = 0;
  private unloaded = false;
  private readonly loading = new Map<GraphKey, Promise<void>>();

  constructor(
    readonly dir: string,
    readonly manifest: GarmentManifest,
    readonly tokenizer: ClipTokenizer,
    readonly fabrics: FabricTable | null,
    readonly schedulerConfig: Record<string, unknown>,
    readonly sessions: Readonly<Partial<Record<GraphKey, SessionInfo>>>,
    readonly sessionIds: Readonly<Partial<Record<GraphKey, string>>>,
    /** The worker the sessions live in; the pipeline runs there (generator.ts). */
    readonly inference: InferenceWorker,
    /** Loads one more graph's session the way the pack's own were loaded (same providers and threads). */
    private readonly loadSession?: SessionLoader,
    /** Set for a staged pack (LoadPackOptions.staged): no session is kept; the worker loads them per stage. */
    readonly staged?: StagedGraphs,
  ) {}

  /** Whether the manifest lists the graph, loaded or not (the VAE encoder is optional). */
  hasGraph(key: GraphKey): boolean {
    return Boolean(this.garment.graphs[key]);
  }

  /**
   * The session of an on-demand graph, loaded and checked against the manifest on first use; later
   * calls (concurrent ones too) reuse it. Throws MODEL_INVALID naming the difference, and keeps nothing.
   */
  async ensureGraph(key: GraphKey): Promise<void> {
    if (this.unloaded) throw new AppError('MODEL_MISSING', `The pack "${this.id}" was unloaded.`);
    if (this.sessionIds[key] || this.staged?.files[key]) return;
    const spec = this.garment.graphs[key] as GraphSpec | undefined;
    if (!spec || !this.loadSession) throw new AppError('MODEL_INVALID', `The pack "${this.id}" has no ${key} graph.`);
    const load = this.loadSession;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = (async () => {
        const { sessionId, info, problems } = await load(key, spec);
        if (problems.length || this.unloaded) {
          await this.inference.release(sessionId).catch(() => undefined);
          if (problems.length) throw invalid(this.dir, problems);
          throw new AppError('MODEL_MISSING', `The pack "${this.id}" was unloaded.`);
        }
        (this.sessions as Partial<Record<GraphKey, SessionInfo>>)[key] = info;
        (this.sessionIds as Partial<Record<GraphKey, string>>)[key] = sessionId;
      })().finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    await pending;
  }

  get id(): string {
    return this.manifest.id;
  }

  get garment(): GarmentManifest['garment'] {
    return this.manifest.garment;
  }

  /** What the worker's pipeline needs to find this pack's sessions. */
  get ref(): GarmentPackRef {
    return {
      id: this.id,
      garment: this.garment,
      schedulerConfig: this.schedulerConfig,
      sessionIds: { ...this.sessionIds },
      ...(this.staged ? { staged: this.staged } : {}),
    };
  }

  signature(key: GraphKey): SessionInfo | null {
    return this.sessions[key] ?? null;
  }

  /** Whether a graph takes any batch size (else both variants run one after the other). */
  dynamicBatch(key: GraphKey, role: string): boolean {
    return dynamicBatch(this, key, role);
  }

  /** One graph by role through the worker: one IPC round trip (checks and tests, not the render loop). */
  async run(key: GraphKey, feeds: Record<string, WireTensor>, signal?: AbortSignal): Promise<GraphRun> {
    if (this.unloaded) throw new AppError('MODEL_MISSING', `The pack "${this.id}" was unloaded.`);
    const file = this.staged?.files[key];
    const sessionId = file ? `garment-staged-main:${this.id}:${key}` : this.sessionIds[key];
    if (!sessionId) throw new AppError('MODEL_INVALID', `The pack "${this.id}" has no ${key} graph.`);
    // A staged pack keeps no session: this one run loads the graph and releases it afterwards.
    if (file) await this.inference.loadSession(sessionId, file, this.staged!.options);
    try {
      const result = await runByRole(this.id, this.garment, key, feeds, (named, outputNames) =>
        this.inference.run(sessionId, named, { outputNames, ...(signal ? { signal } : {}) }),
      );
      this.runMsTotal += result.runMs;
      return result;
    } finally {
      if (file) await this.inference.release(sessionId).catch(() => undefined);
    }
  }

  /** Releases every session in the worker; the pack must be loaded again to be used. */
  async unload(): Promise<void> {
    if (this.unloaded) return;
    this.unloaded = true;
    await Promise.all(Object.values(this.sessionIds).map((id) => this.inference.release(id).catch(() => undefined)));
  }

  get isLoaded(): boolean {
    return !this.unloaded;
  }
}

function invalid(dir: string, problems: string[]): AppError {
  const shown = problems.slice(0, 12).join('; ');
  const more = problems.length > 12 ? ` (and ${problems.length - 12} more)` : '';
  return new AppError('MODEL_INVALID', `The garment pack in ${dir} does not match its manifest: ${shown}${more}`);
}

async function readJson(dir: string, rel: string): Promise<unknown> {
  const text = await fs.readFile(path.join(dir, rel), 'utf8');
  try {
    return parsePythonJson(text);
  } catch (err) {
    throw invalid(dir, [`${rel} is not valid JSON (${(err as Error).message})`]);
  }
}

/**
 * Opens a garment pack folder: the manifest against the contract (the model manager's reader), every
 * file's size and sha256, then one session per graph with its inputs and outputs checked against the
 * manifest. Any difference fails the load with all of them named, and no session stays behind.
 */
export async function loadGarmentPack(dir: string, inference: InferenceWorker, options: LoadPackOptions = {}): Promise<LoadedGarmentPack> {
  const read = await readManifest(dir);
  if (read.base.kind !== 'garment') {
    throw new AppError('MODEL_INVALID', `The pack "${read.base.id}" is a ${read.base.kind} pack, not a garment pack.`);
  }
  const manifest = GarmentManifestSchema.parse(read.raw);
  const files = await checkPackFolder(dir, read.base, { quick: options.verifyHashes === false, ...(options.signal ? { signal: options.signal } : {}) });
  // Extra files are harmless to loading (a user's notes beside the pack); everything else is not.
  const fileProblems = files.filter((p) => p.issue !== 'extra').map((p) => p.message);
  if (fileProblems.length) throw invalid(dir, fileProblems);

  const g = manifest.garment;
  const tokenizer = new ClipTokenizer(
    {
      vocab: (await readJson(dir, g.tokenizer.vocab)) as Record<string, number>,
      merges: await fs.readFile(path.join(dir, g.tokenizer.merges), 'utf8'),
    },
    { contextLength: g.tokenizer.contextLength, bos: g.tokenizer.specialTokens.bos, eos: g.tokenizer.specialTokens.eos, padId: g.tokenizer.specialIds.pad },
  );
  if (tokenizer.bosId !== g.tokenizer.specialIds.bos || tokenizer.eosId !== g.tokenizer.specialIds.eos) {
    throw invalid(dir, [`${g.tokenizer.vocab}: BOS/EOS ids are ${tokenizer.bosId}/${tokenizer.eosId}, manifest says ${g.tokenizer.specialIds.bos}/${g.tokenizer.specialIds.eos}`]);
  }
  let fabrics: FabricTable | null = null;
  if (g.conditioning.fabric) {
    const parsed = FabricTableSchema.safeParse(await readJson(dir, g.conditioning.fabric.table));
    if (!parsed.success) throw invalid(dir, [`${g.conditioning.fabric.table}: ${parsed.error.issues[0]?.message ?? 'not a fabric table'}`]);
    fabrics = parsed.data;
  }
  const schedulerConfig = (await readJson(dir, g.scheduler.config)) as Record<string, unknown>;

  const sessions: Partial<Record<GraphKey, SessionInfo>> = {};
  const sessionIds: Partial<Record<GraphKey, string>> = {};
  const problems: string[] = [];
  // A staged pack checks every graph now, the on-demand ones too, since nothing loads later on this side.
  const graphs = (Object.keys(g.graphs) as GraphKey[]).flatMap((key) => {
    const spec = g.graphs[key] as GraphSpec | undefined;
    return spec && (options.staged || !ON_DEMAND_GRAPHS.includes(key)) ? [[key, spec] as const] : [];
  });
  const threads = options.intraOpNumThreads ?? (options.staged ? os.availableParallelism() : undefined);
  const sessionOptions = {
    ...(options.staged ? STAGED_SESSION_OPTIONS : GARMENT_SESSION_OPTIONS),
    ...(options.executionProviders ? { executionProviders: options.executionProviders } : {}),
    ...(threads ? { intraOpNumThreads: threads } : {}),
  };
  const sessionIdOf = (key: GraphKey) => `garment:${manifest.id}@${manifest.version}:${key}`;
  // An on-demand graph later: no abort signal, since the load's own signal belongs to this call.
  const loadLater: SessionLoader = async (key, spec) => {
    const sessionId = sessionIdOf(key);
    const info = await inference.loadSession(sessionId, path.join(dir, spec.file), sessionOptions);
    return { sessionId, info, problems: checkSignature(spec.file, spec, info) };
  };
  try {
    for (const [key, spec] of graphs) {
      const sessionId = sessionIdOf(key);
      sessionIds[key] = sessionId;
      const info = await inference.loadSession(sessionId, path.join(dir, spec.file), {
        ...sessionOptions,
        // A staged pack's load only reads the signature: no optimisation (for the UNet that is most of a load).
        ...(options.staged ? { graphOptimizationLevel: 'disabled' as const } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      sessions[key] = info;
      problems.push(...checkSignature(spec.file, spec, info));
      if (options.staged) {
        // Checked; released before the next graph loads, so the check never holds two big graphs.
        await inference.release(sessionId);
        delete sessionIds[key];
      }
    }
    problems.push(...checkControlResiduals(g, sessions), ...checkSketchFeatures(g, sessions));
    if (problems.length) throw invalid(dir, problems);
  } catch (err) {
    await Promise.all(Object.values(sessionIds).map((id) => inference.release(id).catch(() => undefined)));
    throw err;
  }
  const staged: StagedGraphs | undefined = options.staged
    ? { files: Object.fromEntries(graphs.map(([key, spec]) => [key, path.join(dir, spec.file)])), options: sessionOptions, signatures: { ...sessions } }
    : undefined;
  return new LoadedGarmentPack(dir, manifest, tokenizer, fabrics, schedulerConfig, sessions, sessionIds, inference, loadLater, staged);
}
