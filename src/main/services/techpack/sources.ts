import type { FlatSummary, Motif, Project, Swatch } from '../../../shared/contract';
import type { FlatDocument } from '../../../shared/flat';

/**
 * What the tech pack reads from the services that own the rest of the library. It runs SQL on its
 * own tables only (techpacks, techpack_revisions); flats, swatches, renders, motifs and projects
 * come through these, so a change to one of their tables stays inside the service that owns it.
 * The composition root passes the real stores; the shapes are narrow so tests may pass small fakes.
 */
export interface TechPackSources {
  projects: { get(id: string): Pick<Project, 'id' | 'name'> };
  flats: {
    list(projectId: string): Pick<FlatSummary, 'id' | 'createdAt' | 'headVersion'>[];
    get(id: string): { flat: Pick<FlatSummary, 'id' | 'name' | 'headVersion'>; doc: FlatDocument };
  };
  swatches: {
    find(id: string): Pick<Swatch, 'id' | 'name' | 'bom'> | null;
    idsInProject(projectId: string): string[];
  };
  generations: { find(id: string): RenderFacts | null };
  motifs: { find(id: string): Pick<Motif, 'id' | 'captionZh' | 'captionEn' | 'source' | 'licence' | 'fileSha256' | 'thumbSha256'> | null };
}

/** The settings of a render that its tech-pack cell prints. */
export interface RenderFacts {
  id: string;
  projectId: string;
  prompt: string;
  variant: string;
  alpha: number;
  seed: number;
  steps: number;
  scheduler: string;
  packId: string;
  packVersion: string;
  provider: string;
  width: number;
  height: number;
  fileSha256: string;
  swatchId: string | null;
}
