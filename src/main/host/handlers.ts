import path from 'node:path';
import type { MotifImportRequest, MotifSearchRequest, StudioHandlers } from '../../shared/contract';
import { detectConflicts, extractPrompt, pickSwatch } from '../../shared/fabric';
import { exportPng, importFlatFile, loadTemplates, decodePng, pngPrintScale } from '../services/flats';
import { isLibraryFileRef } from '../services/motif';
import { colorwayResult } from '../services/render';
import type { Studio } from '../studio';
import { RendererPaths } from './renderer-paths';

/**
 * The one handler table; Electron IPC and the WebSocket bridge both serve it, so every request here
 * comes from a renderer and the file paths it names pass `paths` (by default: none may be used).
 * Each channel maps onto a service of the studio; none is built here.
 */
export function createHandlers(studio: Studio, paths = new RendererPaths({ forbidden: [studio.library.dir] })): StudioHandlers {
  const { library } = studio;
  const exportTo = <R extends { out?: string | undefined }>(request: R): R =>
    request.out ? { ...request, out: paths.writable(request.out, 'The tech pack export') } : request;
  // The captions, TSV and image folder are found relative to the collection folder, and each must be readable too.
  const collection = (request: MotifImportRequest): MotifImportRequest => {
    const folder = paths.readable(request.folder, 'The motif collection folder');
    const inFolder = (named: string | undefined, what: string) => (named === undefined ? undefined : paths.readable(path.resolve(folder, named), what));
    return {
      ...request,
      folder,
      captions: inFolder(request.captions, 'The captions file'),
      tsv: inFolder(request.tsv, 'The image TSV'),
      images: inFolder(request.images, 'The image folder'),
    };
  };
  // A library file is the studio's own; a path names a file on disk. A relative one the service refuses as it is.
  const queryImage = (request: MotifSearchRequest): MotifSearchRequest =>
    'image' in request && !isLibraryFileRef(request.image) && path.isAbsolute(request.image)
      ? { ...request, image: paths.readable(request.image, 'The image to search by') }
      : request;
  const { swatches, colorways, techpacks, flats, generations } = studio;
  return {
    system: {
      ping: () => ({ at: Date.now() }),
      version: () => studio.versions(),
      libraryInfo: () => library.info(),
      choosePath: async ({ kind }) => ({ path: await paths.choose(kind) }),
    },
    projects: {
      list: () => library.projects.list(),
      get: ({ id }) => library.projects.get(id),
      create: ({ name }) => library.projects.create(name),
      rename: ({ id, name }) => library.projects.rename(id, name),
      delete: ({ id }) => {
        library.projects.delete(id);
        return { deleted: true as const };
      },
    },
    jobs: {
      list: ({ states, limit }) => studio.jobs.list({ states, limit }),
      get: ({ id }) => studio.jobs.get(id),
      cancel: ({ id }) => studio.jobs.cancel(id),
    },
    models: {
      list: () => studio.models.list(),
      verify: ({ id }) => studio.models.verify(id),
      installFromPath: (request) => studio.models.installFromPath(paths.readable(request.path, 'The model pack')),
      remove: async ({ id }) => {
        await studio.models.remove(id);
        return { removed: true as const };
      },
      setDefault: ({ id }) => studio.models.setDefault(id),
      catalogue: () => studio.models.catalogue(),
      catalogueRecipes: () => studio.models.catalogueRecipes(),
      installRecipe: ({ id, acceptLicences }) => studio.models.startRecipe(id, { accepted: acceptLicences }),
      installCheckpoint: ({ path: file, name, acceptLicences }) =>
        studio.models.startCheckpoint(paths.readable(file, 'The checkpoint'), { name, accepted: acceptLicences ?? [] }),
      download: ({ id }) => studio.models.download(id),
      pause: ({ jobId }) => studio.models.pause(jobId),
      jobs: ({ limit }) => studio.models.downloadJobs(limit),
    },
    motifs: {
      import: (request) => studio.motifs.startImport(collection(request)),
      searchCaptions: ({ query, limit }) => studio.motifs.searchCaptions(query, limit),
      index: ({ packId }) => studio.motifs.startIndex(packId ? { packId } : {}),
      searchByModel: ({ query, limit }) => studio.motifs.searchByModel(query, limit),
      search: (request) => studio.motifs.search(queryImage(request)),
      vectorStatus: ({ packId }) => studio.motifs.vectorStatus(packId),
      reindex: ({ packId, full }) => studio.motifs.startReindex({ ...(packId ? { packId } : {}), ...(full ? { full } : {}) }),
      get: ({ id }) => studio.motifs.get(id),
      list: ({ limit, offset }) => studio.motifs.list(limit, offset),
    },
    garment: {
      generate: (request) => studio.garment.start(request),
    },
    generations: {
      generate: (request) => generations.generate(request),
      list: (query) => generations.list(query),
      get: ({ id }) => generations.get(id),
      favourite: ({ id, favourite }) => generations.favourite(id, favourite),
      delete: ({ id }) => {
        generations.delete(id);
        return { deleted: true as const };
      },
      original: async ({ id }) => {
        const { png, fileName } = await generations.original(id);
        return { pngBase64: png.toString('base64'), fileName };
      },
      markForColorway: (request) => generations.markForColorway(request),
    },
    swatches: {
      list: (query) => swatches.list(query),
      get: ({ id }) => swatches.get(id),
      import: (request) => swatches.import('path' in request ? { ...request, path: paths.readable(request.path, 'The swatch photo') } : request),
      update: (request) => swatches.update(request),
      reprocess: ({ id, geometry }) => swatches.reprocess(id, geometry),
      delete: ({ id }) => {
        swatches.delete(id);
        return { deleted: true as const };
      },
      addToProject: ({ id, projectId }) => swatches.addToProject(id, projectId),
      removeFromProject: ({ id, projectId }) => swatches.removeFromProject(id, projectId),
      categories: () => swatches.categories(),
    },
    prompt: {
      extract: ({ text, projectId }) => {
        const extraction = extractPrompt(text);
        const swatch = projectId ? pickSwatch(extraction.fabric, swatches.candidatesFor(projectId), extraction.colours) : null;
        return { extraction, swatch };
      },
      conflicts: ({ text, flat }) => detectConflicts(text, flat),
    },
    flats: {
      templates: () => loadTemplates(),
      importSvg: ({ path, ...options }) => importFlatFile(paths.readable(path, 'The SVG flat'), options),
      exportPng: ({ doc, viewId, dpi }) => {
        const png = exportPng(doc, { viewId, dpi });
        const { width, height } = decodePng(png);
        return { pngBase64: png.toString('base64'), width, height, printScale: pngPrintScale(doc, dpi) };
      },
      list: ({ projectId }) => flats.list(projectId),
      get: ({ id }) => flats.get(id),
      create: ({ projectId, doc }) => flats.create(projectId, doc),
      save: ({ id, doc, history }) => flats.save(id, doc, history),
      versions: ({ id }) => flats.versions(id),
      nameVersion: ({ id, version, label }) => flats.nameVersion(id, version, label),
      restore: ({ id, version }) => flats.restore(id, version),
      delete: ({ id }) => {
        flats.delete(id);
        return { deleted: true as const };
      },
    },
    techpack: {
      get: ({ projectId }) => techpacks.get(projectId),
      save: ({ projectId, document }) => techpacks.save(projectId, document),
      preflight: ({ projectId, paper, document }) => techpacks.preflight(projectId, paper, document),
      export: (request) => techpacks.export(exportTo(request)),
      exportJob: (request) => techpacks.startExport(exportTo(request)),
      revisions: ({ projectId }) => techpacks.revisions(projectId),
      exportRevision: (request) => techpacks.exportRevision(exportTo(request)),
      preview: async ({ projectId, sheet, dpi, document, language }) => {
        const { png, sheets, preflight, outline } = await techpacks.previewSheet(projectId, sheet, dpi, document, language);
        return { pngBase64: png?.toString('base64') ?? null, sheets, preflight, outline };
      },
    },
    render: {
      colorway: async ({ doc, palette, as, ...options }) => colorwayResult(await colorways.render(doc, palette, options), as, library.files),
      colorways: async ({ doc, palettes, as, ...options }) =>
        Promise.all((await colorways.renderBatch(doc, palettes, options)).map((c) => colorwayResult(c, as, library.files))),
    },
  };
}
