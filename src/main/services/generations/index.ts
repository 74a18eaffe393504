/** The generation history: renders with their settings, search, favourites, originals, colorway choice. */
export { GenerationService, type GarmentStarter, type ColorwayStore, type FlatSource } from './service';
