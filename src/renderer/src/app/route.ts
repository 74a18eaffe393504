import type { Project } from '../../../shared/contract';

/** Where the technician is in the studio. The open project carries its name for the top bar. */
export type ProjectRoute = { view: 'project'; project: Project; tab: WorkspaceTab };
export type Route = { view: 'library' } | { view: 'models' } | ProjectRoute;
export type WorkspaceTab = 'design' | 'techpack';

export const libraryRoute: Route = { view: 'library' };
export const openProject = (project: Project): ProjectRoute => ({ view: 'project', project, tab: 'design' });
