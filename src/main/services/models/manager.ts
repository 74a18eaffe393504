import fs from 'node:fs';
import path from 'node:path';
import { AppError, type Job } from '../../../shared/contract';
import {
  ASSEMBLE_JOB_KIND,
  AssembleParamsSchema,
  DOWNLOAD_JOB_KIND,
  DownloadParamsSchema,
  type AssembleParams,
  type AssembleResult,
  type CatalogueRecipeItem,
  type CatalogueEntry,
  type CatalogueItem,
  type CatalogueRecipe,
  type InstalledPack,
  type PackProblem,
  type VerifyResult,
} from '../../../shared/contract/models';
import type { ManifestBase } from '../../../shared/packs/manifest-base';
import type { JobContext, JobQueue } from '../jobs';
import type { Db } from '../library';
import { loadCatalogue } from './catalogue';
import type { HttpOptions } from './http-get';
import { installPack } from './install';
import { ModelsFolder } from './models-folder';
import { describeProgress, downloadPack } from './pack-download';
import { manifestImageWidth, manifestLineArtControl, manifestProviders, manifestStartsFromImage, readManifest, type PackManifest } from './pack-manifest';
import { PackSettings } from './pack-settings';
import { discardAssembly, installRecipe, judgeCheckpoint, recipePackId, requireLicences, type AssemblyProgress, type RecipeInstall } from './recipe-install';
import { refusePickleByName } from './assembly';
import { checkPackFolder, folderFingerprint, listTree } from './verify';

export interface ModelManagerOptions {
  db: Db;
  jobs: JobQueue;
  /** <library>/models: packs the user installed or downloaded. */
  modelsDir: string;
  /** resources/models of the app: packs shipped read-only. */
  bundledDir: string | null;
  cataloguePath: string;
  /** Recipe folders (recipes/<id>/recipe.json); default: `recipes` of bundledDir. */
  recipesDir?: string;
  http?: Pick<HttpOptions, 'idleTimeoutMs' | 'maxRedirects'>;
  retries?: number;
}

type Source = InstalledPack['source'];

export interface OwnCheckpointOptions {
  /** The pack's name (and, made safe, its id `own-<name>`); default: the file's name. */
  name?: string;
  /** Licence ids accepted for the catalogue files downloaded. */
  accepted?: readonly string[];
  cataloguePath?: string;
  /** Recipe folders to use instead of the app's (a toolchain's own build, or a test's tiny recipes). */
  recipesDir?: string;
}

/** The recipe a technician's own SD 1.5 checkpoint is assembled with. */
const OWN_CHECKPOINT_RECIPE = 'sd15-garment';
const CHECKPOINT_FILE = /\.(safetensors|ckpt|pt|pth|bin)$/i;

/** A pack found on disk. */
export interface PackLocation {
  id: string;
  dir: string;
  source: Source;
  manifest: PackManifest;
}

/** Held by an engine while it uses a pack; the pack cannot be removed until every lease is released. */
export interface PackLease extends PackLocation {
  release(): void;
}

export interface DownloadResult {
  id: string;
  version: string;
  path: string;
}

const FEATURES: Record<ManifestBase['kind'], InstalledPack['features']> = {
  garment: ['garment-generation'],
  motif: ['motif-search'],
};
const KINDS = Object.keys(FEATURES) as ManifestBase['kind'][];

/**
 * The pack an engine uses for a kind, from the packs found (library ones first, each shadowing a
 * bundled one of the same id): the chosen default, else the bundled pack of that kind, else the first
 * library pack. Installing a pack never makes it the one used by itself: a multi-GB SD 1.5 pack that
 * takes minutes an image on a CPU, or a motif pack whose vectors do not match the library's index,
 * waits until the technician chooses it (the install offers that). An id resolves as locate() does, so
 * a library pack carrying the bundled pack's own id (its update) is the one used.
 */
function usedPack(found: readonly PackLocation[], kind: ManifestBase['kind'], chosen: string | null): PackLocation | null {
  const all = found.filter((l) => l.manifest.base.kind === kind);
  const bundled = all.find((l) => l.source === 'bundled');
  return all.find((l) => l.id === chosen) ?? (bundled && all.find((l) => l.id === bundled.id)) ?? all[0] ?? null;
}

/**
 * Installed packs (the library's models folder plus the app's bundled ones), their verification,
 * defaults per kind, leases held by engines, installs from folders and zips, and downloads from the
 * catalogue as `models.download` jobs.
 */
export class ModelManager {
  readonly folder: ModelsFolder;
  private readonly settings: PackSettings;
  private readonly leases = new Map<string, number>();
  /** Packs being removed: no new lease may start on them. */
  private readonly removing = new Set<string>();
  /** Download jobs being paused rather than cancelled: their partial files are kept. */
  private readonly pausing = new Set<string>();

  constructor(private readonly options: ModelManagerOptions) {
    this.folder = new ModelsFolder(options.modelsDir);
    this.settings = new PackSettings(options.db);
    fs.mkdirSync(options.modelsDir, { recursive: true });
    // Anything left in .staging is an install or removal a crash cut short: never a pack.
    fs.rmSync(this.folder.stagingRoot, { recursive: true, force: true });
    options.jobs.register(DOWNLOAD_JOB_KIND, (ctx) => this.runDownload(ctx));
    options.jobs.register(ASSEMBLE_JOB_KIND, (ctx) => this.runAssemble(ctx));
  }

  async list(): Promise<InstalledPack[]> {
    const found = await this.locateAll();
    const used = new Set(KINDS.map((kind) => usedPack(found, kind, this.settings.defaultPack(kind))));
    const packs: InstalledPack[] = [];
    for (const loc of found) packs.push(await this.describe(loc, used.has(loc)));
    return packs;
  }

  /** A library pack shadows a bundled one of the same id. */
  async locate(id: string): Promise<PackLocation> {
    const loc = (await this.locateAll()).find((l) => l.id === id);
    if (!loc) throw new AppError('MODEL_MISSING', `No model pack "${id}" is installed.`);
    return loc;
  }

  async verify(id: string): Promise<VerifyResult> {
    const loc = await this.locate(id);
    const problems = await checkPackFolder(loc.dir, loc.manifest.base);
    await this.record(loc, problems);
    return { id, ok: problems.length === 0, problems };
  }

  /**
   * A pack folder or zip installs as it is; a single-file checkpoint (.safetensors, or a pickle, which
   * is refused unopened) is assembled with the sd15-garment recipe's other catalogue files.
   */
  async installFromPath(sourcePath: string, options: OwnCheckpointOptions = {}): Promise<InstalledPack> {
    if (CHECKPOINT_FILE.test(sourcePath)) return this.installed(await this.startCheckpoint(sourcePath, options));
    const manifest = await installPack(this.folder, path.resolve(sourcePath));
    const loc: PackLocation = { id: manifest.base.id, dir: this.folder.packDir(manifest.base.id), source: 'library', manifest };
    // Every byte was hashed on its way in.
    await this.record(loc, []);
    return this.describe(loc, await this.isUsed(loc));
  }

  async remove(id: string): Promise<void> {
    const loc = await this.locate(id);
    if (loc.source === 'bundled') throw new AppError('CONFLICT', `The pack "${id}" ships with the app and cannot be removed.`);
    const inUse = this.leases.get(id) ?? 0;
    if (inUse > 0) throw new AppError('CONFLICT', `The pack "${id}" is in use by ${inUse} running job${inUse > 1 ? 's' : ''}; remove it when they finish.`);
    if (this.removing.has(id)) throw new AppError('CONFLICT', `The pack "${id}" is already being removed.`);
    this.removing.add(id);
    try {
      await this.folder.removePack(id);
    } finally {
      this.removing.delete(id);
    }
    this.settings.recordVerification('library', id, null);
    const kind = loc.manifest.base.kind;
    if (this.settings.defaultPack(kind) === id) this.settings.setDefaultPack(kind, null);
  }

  async setDefault(id: string): Promise<InstalledPack> {
    const loc = await this.locate(id);
    this.settings.setDefaultPack(loc.manifest.base.kind, id);
    return this.describe(loc, await this.isUsed(loc));
  }

  /** The pack an engine should use for a kind: the chosen default, else the bundled one, else the first library one. */
  async defaultPack(kind: ManifestBase['kind']): Promise<PackLocation | null> {
    return usedPack(await this.locateAll(), kind, this.settings.defaultPack(kind));
  }

  /** Whether `loc` is the very pack (not a shadowed one of the same id) that defaultPack gives its kind. */
  private async isUsed(loc: PackLocation): Promise<boolean> {
    return (await this.defaultPack(loc.manifest.base.kind))?.dir === loc.dir;
  }

  /** Engines call this before using a pack and release() when done; remove() is refused meanwhile. */
  async lease(id: string): Promise<PackLease> {
    if (this.removing.has(id)) throw new AppError('CONFLICT', `The pack "${id}" is being removed.`);
    this.leases.set(id, (this.leases.get(id) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const n = (this.leases.get(id) ?? 1) - 1;
      if (n > 0) this.leases.set(id, n);
      else this.leases.delete(id);
    };
    try {
      return { ...(await this.locate(id)), release };
    } catch (err) {
      release();
      throw err;
    }
  }

  catalogue(): CatalogueItem[] {
    const active = this.activeDownloads();
    return this.catalogueEntries().map((entry) => {
      const installed = this.installedManifestSync(entry.id);
      return {
        ...entry,
        installedVersion: installed?.version ?? null,
        partialBytes: treeSize(this.folder.downloadDir(entry.id, entry.version)),
        activeJobId: active.get(entry.id)?.id ?? null,
      };
    });
  }

  /** The catalogue's recipes: public files to download and assemble into packs, with their state here. */
  catalogueRecipes(cataloguePath = this.options.cataloguePath): CatalogueRecipeItem[] {
    const active = this.activeAssemblies();
    const recipesDir = this.recipesDir();
    return loadCatalogue(cataloguePath).recipes.map((entry) => {
      const packId = recipesDir ? recipePackId(path.join(recipesDir, entry.id)) : null;
      return {
        ...entry,
        installedPackId: packId && this.installedManifestSync(packId) ? packId : null,
        activeJobId: active.get(entry.id)?.id ?? null,
      };
    });
  }

  /**
   * Queues (or resumes) the assembly of a catalogue recipe as a `models.assemble` job. Synchronous from
   * lookup to enqueue, so asking again while it runs finds the same job. Refused before anything is
   * queued when a licence to accept is missing or the pack is installed.
   */
  startRecipe(id: string, options: { accepted?: readonly string[]; cataloguePath?: string; recipesDir?: string; own?: RecipeInstall['own'] } = {}): Job {
    const entry = this.recipeEntry(id, options.cataloguePath);
    const running = this.activeAssemblies().get(options.own ? `own:${options.own.id}` : id);
    if (running) return running;
    requireLicences(entry, options.accepted ?? [], options.own);
    const recipesDir = options.recipesDir ?? this.recipesDir();
    if (!recipesDir) throw new AppError('MODEL_MISSING', `No recipe folder is known to assemble ${id} from.`);
    const packId = options.own?.id ?? recipePackId(path.join(recipesDir, id));
    if (packId && this.installedManifestSync(packId)) throw new AppError('CONFLICT', `A pack "${packId}" is already installed; remove it first to assemble ${id} again.`);
    const params: AssembleParams = {
      recipeId: id,
      acceptedLicences: [...(options.accepted ?? [])],
      ...(options.own ? { own: options.own } : {}),
      ...(options.cataloguePath ? { cataloguePath: options.cataloguePath } : {}),
      ...(options.recipesDir ? { recipesDir: options.recipesDir } : {}),
    };
    return this.options.jobs.enqueue(ASSEMBLE_JOB_KIND, AssembleParamsSchema.parse(params));
  }

  /**
   * Queues the assembly of the technician's own SD 1.5 checkpoint with the sd15-garment recipe's other
   * catalogue files. The file is judged from its name and header first (pickles, other model families,
   * broken headers), so a wrong file is refused at once with nothing queued.
   */
  async startCheckpoint(file: string, options: OwnCheckpointOptions = {}): Promise<Job> {
    const checkpoint = path.resolve(file);
    refusePickleByName(checkpoint);
    const name = options.name?.trim() || path.basename(checkpoint).replace(/\.[^.]+$/, '');
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
    if (!slug) throw new AppError('INVALID_INPUT', `"${name}" gives no usable pack id; pass --name with some letters or digits.`);
    this.recipeEntry(OWN_CHECKPOINT_RECIPE, options.cataloguePath);
    await judgeCheckpoint(checkpoint);
    return this.startRecipe(OWN_CHECKPOINT_RECIPE, { ...options, own: { checkpoint, id: `own-${slug}`, name } });
  }

  /**
   * Assembles a catalogue recipe into an installed pack: startRecipe, then waits for the job (the
   * queue must be started). Refused, with nothing downloaded, while a licence to accept is missing.
   */
  async installRecipe(id: string, options: OwnCheckpointOptions & { own?: RecipeInstall['own'] } = {}): Promise<InstalledPack> {
    return this.installed(this.startRecipe(id, options));
  }

  /** The pack an assembly job installed, once the job ends; its error when it did not succeed. */
  private async installed(job: Job): Promise<InstalledPack> {
    const done = await this.options.jobs.waitFor(job.id);
    if (done.state !== 'succeeded') {
      throw new AppError((done.error?.code as AppError['code']) ?? 'INTERNAL', done.error?.message ?? `The assembly ${done.state}.`);
    }
    const { packId } = done.result as AssembleResult;
    const loc = await this.locate(packId);
    return this.describe(loc, await this.isUsed(loc));
  }

  private recipeEntry(id: string, cataloguePath?: string): CatalogueRecipe {
    const entry = loadCatalogue(cataloguePath ?? this.options.cataloguePath).recipes.find((r) => r.id === id);
    if (!entry) throw new AppError('NOT_FOUND', `The model catalogue has no recipe "${id}".`);
    return entry;
  }

  private recipesDir(): string | null {
    return this.options.recipesDir ?? (this.options.bundledDir ? path.join(this.options.bundledDir, 'recipes') : null);
  }

  private async runAssemble(ctx: JobContext): Promise<AssembleResult> {
    const params = AssembleParamsSchema.parse(ctx.params);
    const entry = this.recipeEntry(params.recipeId, params.cataloguePath);
    const recipesDir = params.recipesDir ?? this.recipesDir();
    if (!recipesDir) throw new AppError('MODEL_MISSING', `No recipe folder is known to assemble ${params.recipeId} from.`);
    const recipeDir = path.join(recipesDir, params.recipeId);
    const packId = params.own?.id ?? recipePackId(recipeDir);
    const report = throttle((p: AssemblyProgress) => ctx.progress({ fraction: p.total > 0 ? Math.min(1, p.done / p.total) : null, step: p.done, total: p.total, message: p.message }), 200);
    try {
      const manifest = await installRecipe({
        entry,
        recipeDir,
        folder: this.folder,
        settings: this.settings,
        accepted: params.acceptedLicences,
        signal: ctx.signal,
        onProgress: (p) => {
          report(p);
          // A finished graph is saved before the next starts, so a pause or a crash knows where it stood.
          if (p.milestone) report.flush();
        },
        http: this.options.http,
        retries: this.options.retries,
        own: params.own,
      });
      report.flush();
      const loc: PackLocation = { id: manifest.base.id, dir: this.folder.packDir(manifest.base.id), source: 'library', manifest };
      await this.record(loc, []);
      return this.offers(loc);
    } catch (err) {
      report.cancel();
      // Kept for a resume: a pause, the studio shutting down, or a lost connection; a cancel or a
      // refusal leaves nothing behind. A pack installed meanwhile (CONFLICT) keeps no staging either.
      const keep =
        this.pausing.has(ctx.id) ||
        (ctx.signal.aborted && ctx.signal.reason === 'shutdown') ||
        (!ctx.signal.aborted && AppError.is(err) && isResumable(err));
      if (!keep && packId) discardAssembly(this.folder, entry, packId, params.own);
      throw err;
    } finally {
      this.pausing.delete(ctx.id);
    }
  }

  /**
   * What the model manager offers once a pack is installed: making it the default (whenever it is not
   * already the pack its kind uses, which it is not unless it is the only one or updates the chosen or
   * bundled pack), re-indexing the motifs.
   */
  private async offers(loc: PackLocation): Promise<AssembleResult> {
    const kind = loc.manifest.base.kind;
    return {
      packId: loc.id,
      kind,
      offerDefault: !(await this.isUsed(loc)),
      offerReindex: kind === 'motif' && this.indexedWithOtherPack(loc.id),
    };
  }

  /** Whether any motif image has vectors from another pack (the motif library's table; absent in an old library). */
  private indexedWithOtherPack(packId: string): boolean {
    try {
      return this.options.db.prepare('SELECT 1 FROM motif_embeddings WHERE pack_id != ? LIMIT 1').get(packId) !== undefined;
    } catch {
      return false;
    }
  }

  /** Running or queued assemblies: by recipe id, and by `own:<pack id>` for own checkpoints. */
  private activeAssemblies(): Map<string, Job> {
    const byKey = new Map<string, Job>();
    for (const job of this.options.jobs.list({ states: ['queued', 'running'], limit: 1000 })) {
      const params = AssembleParamsSchema.safeParse(job.params);
      if (job.kind === ASSEMBLE_JOB_KIND && params.success) byKey.set(params.data.own ? `own:${params.data.own.id}` : params.data.recipeId, job);
    }
    return byKey;
  }

  /**
   * Starts (or resumes) downloading a catalogue pack. Synchronous from lookup to enqueue, so a second
   * request for the same pack always finds the first one's job and joins it.
   */
  download(id: string, options: { cataloguePath?: string } = {}): Job {
    const entry = this.catalogueEntries(options.cataloguePath).find((e) => e.id === id);
    if (!entry) throw new AppError('NOT_FOUND', `The model catalogue has no pack "${id}".`);
    const running = this.activeDownloads().get(id);
    if (running) return running;
    const installed = this.installedManifestSync(id);
    if (installed) throw new AppError('CONFLICT', `The pack "${id}" (version ${installed.version}) is already installed.`);
    return this.options.jobs.enqueue(DOWNLOAD_JOB_KIND, { id, entry });
  }

  /** Stops a download or an assembly but keeps what it did; download() / startRecipe() again resumes it. */
  pause(jobId: string): Job {
    const job = this.options.jobs.get(jobId);
    if (job.kind !== DOWNLOAD_JOB_KIND && job.kind !== ASSEMBLE_JOB_KIND) throw new AppError('BAD_REQUEST', `Job ${jobId} is not a model download or assembly.`);
    // A queued job has nothing on disk yet; only a running one needs to know it is a pause.
    if (job.state === 'running') this.pausing.add(jobId);
    return this.options.jobs.cancel(jobId);
  }

  downloadJobs(limit = 50): Job[] {
    return this.options.jobs
      .list({ limit: 1000 })
      .filter((j) => j.kind === DOWNLOAD_JOB_KIND || j.kind === ASSEMBLE_JOB_KIND)
      .slice(0, limit);
  }

  private async runDownload(ctx: JobContext): Promise<DownloadResult> {
    const { id, entry } = DownloadParamsSchema.parse(ctx.params);
    try {
      const manifest = await downloadPack({
        entry,
        folder: this.folder,
        signal: ctx.signal,
        http: this.options.http,
        retries: this.options.retries,
        onProgress: (p) =>
          ctx.progress({
            fraction: p.totalBytes > 0 ? Math.min(1, p.bytes / p.totalBytes) : 1,
            step: p.bytes,
            total: p.totalBytes,
            message: describeProgress(p),
          }),
      });
      const dir = this.folder.packDir(id);
      await this.record({ id, dir, source: 'library', manifest }, []);
      return { id, version: manifest.base.version, path: dir };
    } catch (err) {
      // Kept for a resume: a pause, the studio shutting down (the queue aborts with reason 'shutdown'
      // and marks the job interrupted), or a lost connection. Anything else starts over next time.
      const keep =
        this.pausing.has(ctx.id) ||
        (ctx.signal.aborted && ctx.signal.reason === 'shutdown') ||
        (!ctx.signal.aborted && AppError.is(err) && isResumable(err));
      if (!keep) this.discardDownload(entry);
      throw err;
    } finally {
      this.pausing.delete(ctx.id);
    }
  }

  private discardDownload(entry: CatalogueEntry): void {
    const dir = this.folder.downloadDir(entry.id, entry.version);
    fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.rmdirSync(path.dirname(dir)); // .downloads itself, once empty
    } catch {
      // other downloads are still paused in it
    }
  }

  private activeDownloads(): Map<string, Job> {
    const byPack = new Map<string, Job>();
    for (const job of this.options.jobs.list({ states: ['queued', 'running'], limit: 1000 })) {
      const params = DownloadParamsSchema.safeParse(job.params);
      if (job.kind === DOWNLOAD_JOB_KIND && params.success) byPack.set(params.data.id, job);
    }
    return byPack;
  }

  private catalogueEntries(cataloguePath = this.options.cataloguePath): CatalogueEntry[] {
    return loadCatalogue(cataloguePath).packs;
  }

  private installedManifestSync(id: string): { version: string } | null {
    try {
      const json = JSON.parse(fs.readFileSync(path.join(this.folder.packDir(id), 'manifest.json'), 'utf8')) as { version?: unknown };
      return { version: typeof json.version === 'string' ? json.version : '?' };
    } catch {
      return null;
    }
  }

  private async locateAll(): Promise<PackLocation[]> {
    const found: PackLocation[] = [];
    const roots: [Source, string | null][] = [
      ['library', this.folder.dir],
      ['bundled', this.options.bundledDir],
    ];
    for (const [source, root] of roots) {
      if (!root) continue;
      const names = source === 'library' ? await this.folder.packFolders() : bundledFolders(root);
      for (const name of names.sort()) {
        const dir = path.join(root, name);
        // A folder without a readable manifest is not a pack (the app's resources/models holds other things too).
        const manifest = await readManifest(dir).catch(() => null);
        if (!manifest) continue;
        if (source === 'library' && manifest.base.id !== name) continue;
        found.push({ id: manifest.base.id, dir, source, manifest });
      }
    }
    return found;
  }

  /** `used`: whether the studio's engines use this pack for its kind (see defaultPack). */
  private async describe(loc: PackLocation, used: boolean): Promise<InstalledPack> {
    const { base } = loc.manifest;
    const { files } = await listTree(loc.dir);
    const problems = await checkPackFolder(loc.dir, base, { quick: true });
    const record = this.settings.verification(loc.source, loc.id);
    const fingerprint = await folderFingerprint(loc.dir, base);
    const current = record && record.version === base.version && record.fingerprint === fingerprint ? record : null;
    const status = problems.length > 0 || (current && !current.ok) ? 'invalid' : current ? 'verified' : 'unverified';
    const width = manifestImageWidth(loc.manifest);
    return {
      id: base.id,
      version: base.version,
      kind: base.kind,
      name: base.name,
      licence: base.licence,
      source: loc.source,
      path: loc.dir,
      sizeBytes: [...files.values()].reduce((a, b) => a + b, 0),
      providers: manifestProviders(loc.manifest),
      features: FEATURES[base.kind],
      lineArtControl: manifestLineArtControl(loc.manifest),
      startsFromImage: manifestStartsFromImage(loc.manifest),
      ...(width ? { imageWidth: width } : {}),
      // The pack searches and renders actually use, chosen or not: a bundled pack with no library
      // default chosen is the default, and a chosen id no longer installed is not.
      isDefault: used,
      inUse: this.leases.get(base.id) ?? 0,
      verification: { status, checkedAt: current?.checkedAt ?? null, problems: problems.length > 0 ? problems : (current?.problems ?? []) },
    };
  }

  private async record(loc: PackLocation, problems: PackProblem[]): Promise<void> {
    const fingerprint = await folderFingerprint(loc.dir, loc.manifest.base);
    this.settings.recordVerification(loc.source, loc.id, { version: loc.manifest.base.version, fingerprint, ok: problems.length === 0, problems });
  }
}

interface Throttled<T> {
  (value: T): void;
  flush(): void;
  cancel(): void;
}

/** Passes on at most one value per interval, and the last one held back when flushed (or after the interval). */
function throttle<T>(fn: (value: T) => void, intervalMs: number): Throttled<T> {
  let last = 0;
  let pending: { value: T } | null = null;
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!pending) return;
    const { value } = pending;
    pending = null;
    last = Date.now();
    fn(value);
  };
  const call = (value: T) => {
    pending = { value };
    const wait = last + intervalMs - Date.now();
    if (wait <= 0) flush();
    else timer ??= setTimeout(flush, wait);
  };
  return Object.assign(call, {
    flush,
    cancel: () => {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = null;
    },
  });
}

/** A download that failed for want of a connection keeps its partial files for a later resume. */
function isResumable(err: AppError): boolean {
  return typeof err.details === 'object' && err.details !== null && (err.details as { resumable?: unknown }).resumable === true;
}

function bundledFolders(root: string): string[] {
  try {
    return fs
      .readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

function treeSize(dir: string): number {
  let total = 0;
  try {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
    }
  } catch {
    return 0;
  }
  return total;
}
