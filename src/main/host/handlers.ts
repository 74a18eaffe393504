import type { StudioHandlers } from '../../shared/contract';
import type { Studio } from '../studio';

/** The one handler table; Electron IPC and the WebSocket bridge both serve it. */
export function createHandlers(studio: Studio): StudioHandlers {
  const { library } = studio;
  return {
    system: {
      ping: () => ({ at: Date.now() }),
      version: () => studio.versions(),
      libraryInfo: () => library.info(),
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
      installFromPath: ({ path }) => studio.models.installFromPath(path),
      remove: async ({ id }) => {
        await studio.models.remove(id);
        return { removed: true as const };
      },
      setDefault: ({ id }) => studio.models.setDefault(id),
      catalogue: () => studio.models.catalogue(),
      download: ({ id }) => studio.models.download(id),
      pause: ({ jobId }) => studio.models.pause(jobId),
      jobs: ({ limit }) => studio.models.downloadJobs(limit),
    },
    motifs: {
      import: (request) => studio.motifs.startImport(request),
      searchCaptions: ({ query, limit }) => studio.motifs.searchCaptions(query, limit),
      get: ({ id }) => studio.motifs.get(id),
      list: ({ limit, offset }) => studio.motifs.list(limit, offset),
    },
  };
}
