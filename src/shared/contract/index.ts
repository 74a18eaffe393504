import type { z } from 'zod';
import type { ClientOf, HandlersOf } from './channel';
import { flatChannels } from './flats';
import { garmentChannels } from './garment';
import { generationChannels } from './generations';
import { jobChannels, jobEvents } from './jobs';
import { modelChannels } from './models';
import { motifChannels } from './motifs';
import { projectChannels } from './projects';
import { promptChannels } from './prompt';
import { renderChannels } from './render';
import { swatchChannels } from './swatches';
import { systemChannels } from './system';
import { techPackChannels } from './techpack';

/**
 * The one contract between renderer and main. Each later capability adds a namespace here and an
 * implementation in src/main/host/handlers.ts; both transports pick it up without change.
 */
export const contract = {
  system: systemChannels,
  projects: projectChannels,
  jobs: jobChannels,
  models: modelChannels,
  motifs: motifChannels,
  garment: garmentChannels,
  generations: generationChannels,
  swatches: swatchChannels,
  prompt: promptChannels,
  techpack: techPackChannels,
  flats: flatChannels,
  render: renderChannels,
};
export type Contract = typeof contract;
export type StudioClient = ClientOf<Contract>;
export type StudioHandlers = HandlersOf<Contract>;

/** Events, main -> renderer. */
export const events = {
  ...jobEvents,
};
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export * from './channel';
export * from './errors';
export * from './flats';
export * from './garment';
export * from './generations';
export * from './jobs';
export * from './models';
export * from './motifs';
export * from './projects';
export * from './prompt';
export * from './render';
export * from './swatches';
export * from './system';
export * from './techpack';
