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
  };
}
