export { SwatchLibrary, type SwatchLibraryHost } from './store';
export { readSwatchPhoto, DEFAULT_SWATCH_LIMITS, type SwatchLimits, type SwatchPhoto } from './decode';
export { processSwatch, MAX_TILE_SIDE, type ProcessedSwatch } from './process';
export { offsetBlendTile, mirrorTile, repeatPreview, seamRatio } from './tile';
export { dominantColours } from './colours';
export { largestInscribed, straightenAndCrop } from './geometry';
export type { RgbImage } from './raster';
