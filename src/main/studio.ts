import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventBus } from './events';
import { JobQueue } from './services/jobs';
import { FlatStore } from './services/flats';
import { GarmentService, librarySwatchCandidates } from './services/garment';
import { GenerationService, GenerationStore } from './services/generations';
import { TechPackService } from './services/techpack';
import { Library } from './services/library';
import { ModelManager } from './services/models';
import { MotifService } from './services/motif';
import { ColorwayRenderer, LibraryFabrics, LibraryMotifArt, type FabricSource } from './services/render';
import { SwatchLibrary } from './services/swatches';
import { APP_VERSION } from './version';
import { createStudioInference, forkLauncher, type InferenceWorker, type WorkerLauncher } from './workers';

export interface StudioOptions {
  /** The library folder; defaults to $JINXIU_LIBRARY or ~/JinxiuStudio. */
  libraryDir?: string;
  electronVersion?: string | null;
  /** Starts the inference worker: forkLauncher() by default, utilityWorkerLauncher(...) in the app. */
  inferenceLauncher?: WorkerLauncher;
  /** The execution-provider probe model (resources/models/probe/add.onnx); found from the sources by default. */
  probeModelPath?: string;
  /** The app's resources/models (bundled packs, catalogue.json); found from the sources by default. */
  modelsResourcesDir?: string;
  /** The model catalogue; <modelsResourcesDir>/catalogue.json by default (the e2e tests point it at a local server's packs). */
  cataloguePath?: string;
  /** Recipe folders (recipes/<id>/recipe.json); <modelsResourcesDir>/recipes by default (the e2e tests give the toolchain's tiny ones). */
  recipesDir?: string;
  /** Whether the job queue runs queued jobs whose owner is gone; true but for `jinxiu` commands (see JobQueueOptions). */
  adoptOrphanJobs?: boolean;
}

/** resources/models beside the sources (src/main/studio.ts) and the build (out/main/index.js) alike. */
const DEFAULT_MODELS_RESOURCES_DIR = fileURLToPath(new URL('../../resources/models', import.meta.url));

export function defaultLibraryDir(): string {
  return process.env.JINXIU_LIBRARY ?? path.join(os.homedir(), 'JinxiuStudio');
}

/**
 * Colorways cut from `fabrics`, prints and motif fills drawn with their artwork from the motif
 * library of `studio()`: the one way a colorway renderer is made, so `jinxiu render` draws a print as
 * the studio does. The studio is asked for only when a flat paints a motif, so a command rendering a
 * loose tile image opens no library for a flat without prints.
 */
export function colorwayRenderer(fabrics: FabricSource, studio: () => Studio): ColorwayRenderer {
  return new ColorwayRenderer(fabrics, { art: (motifId) => studio().motifArt.art(motifId) });
}

/**
 * The composition root: every service of one open library, built once here. The Electron app, the
 * CLI and the browser harness all open exactly this, and the handler table and the commands only map
 * onto its members, so they run the same code.
 */
export class Studio {
  readonly events = new EventBus();
  readonly library: Library;
  readonly jobs: JobQueue;
  readonly models: ModelManager;
  readonly motifs: MotifService;
  readonly flats: FlatStore;
  readonly swatches: SwatchLibrary;
  readonly generationStore: GenerationStore;
  readonly garment: GarmentService;
  readonly techpacks: TechPackService;
  readonly generations: GenerationService;
  /** Library swatches as fabric tiles at their recorded size. */
  readonly fabrics: LibraryFabrics;
  /** The artwork of prints and motif fills, from the motif library. */
  readonly motifArt: LibraryMotifArt;
  /** Colorways of library swatches: the render channels and `jinxiu render --swatch <id>`. */
  readonly colorways: ColorwayRenderer;
  readonly inferenceLauncher: WorkerLauncher;
  private inferenceWorker: InferenceWorker | null = null;

  private constructor(private readonly options: StudioOptions) {
    this.library = Library.open(options.libraryDir ?? defaultLibraryDir());
    this.inferenceLauncher = options.inferenceLauncher ?? forkLauncher();
    this.jobs = new JobQueue(this.library.db, {
      adoptOrphans: options.adoptOrphanJobs ?? true,
      onProgress: (job, progress) => this.events.emit('job.progress', { id: job.id, kind: job.kind, progress }),
      onState: (job) => this.events.emit('job.state', job),
    });
    const modelsResources = options.modelsResourcesDir ?? DEFAULT_MODELS_RESOURCES_DIR;
    this.models = new ModelManager({
      db: this.library.db,
      jobs: this.jobs,
      modelsDir: path.join(this.library.dir, 'models'),
      bundledDir: modelsResources,
      cataloguePath: options.cataloguePath ?? path.join(modelsResources, 'catalogue.json'),
      recipesDir: options.recipesDir,
    });
    this.motifs = new MotifService(this.library, this.jobs, { models: this.models, inference: () => this.inference });
    this.flats = new FlatStore(this.library.db);
    this.swatches = new SwatchLibrary(this.library);
    this.generationStore = new GenerationStore(this.library.db);
    this.garment = new GarmentService({
      library: this.library,
      jobs: this.jobs,
      models: this.models,
      inference: () => this.inference,
      swatches: this.swatches,
      generations: this.generationStore,
      // "Start from the colorway": the studio's own colorways, and the swatches a prompt may pick.
      colorways: {
        renderer: () => this.colorways,
        candidates: (projectId) => (projectId ? this.swatches.candidatesFor(projectId) : librarySwatchCandidates(this.swatches)),
      },
    });
    const { projects } = this.library;
    this.techpacks = new TechPackService(
      this.library,
      { projects, flats: this.flats, swatches: this.swatches, generations: this.generationStore, motifs: this.motifs },
      this.jobs,
    );
    this.generations = new GenerationService(this.library, this.garment, this.techpacks, this.flats, this.swatches);
    this.fabrics = new LibraryFabrics(this.swatches, this.library.files);
    this.motifArt = new LibraryMotifArt(this.motifs, this.library.files);
    this.colorways = colorwayRenderer(this.fabrics, () => this);
  }

  static open(options: StudioOptions = {}): Studio {
    return new Studio(options);
  }

  /** Start background work (the job queue); separate from open() so tools can inspect without running jobs. */
  start(): this {
    this.jobs.start();
    return this;
  }

  /** The inference worker, started on first use (its process starts at the first request). */
  get inference(): InferenceWorker {
    this.inferenceWorker ??= createStudioInference({
      db: this.library.db,
      launch: this.inferenceLauncher,
      ...(this.options.probeModelPath ? { probeModelPath: this.options.probeModelPath } : {}),
    });
    return this.inferenceWorker;
  }

  versions() {
    return {
      app: APP_VERSION,
      node: process.versions.node,
      electron: this.options.electronVersion ?? process.versions.electron ?? null,
      platform: `${process.platform}-${process.arch}`,
    };
  }

  async close(): Promise<void> {
    await this.jobs.stop();
    this.motifs.close();
    await this.inferenceWorker?.shutdown();
    this.library.close();
  }
}
