/** The generation history: renders with their settings, search, favourites, originals, colorway choice. */
export { GenerationService, type GarmentStarter, type ColorwayStore, type FlatSource, type SwatchNames } from './service';
export { GenerationStore, type StoredGeneration, type NewGeneration } from './store';
export { GENERATION_SWATCH_MIGRATION } from './schema';
