/** Flat sketch files: SVG import from disk, PNG export, rasterising and pixel comparison. */
export { importSvgFile, exportPng, pngPrintScale, PRINT_SCALES, type PngExportOptions } from './files';
export { rasteriseToPixels, rasteriseToPng, decodePng, pixelDifference, type RgbaImage, type PixelDifference, type RasteriseOptions } from './rasterise';
export { measureFlatFidelity, type FlatFidelity } from './fidelity';
export { loadTemplates, referenceFor, DEFAULT_TEMPLATES_DIR, type FlatTemplate } from './templates';
export { importFlat, importFlatFile, type FlatImportOptions } from './import-flat';
export { FlatStore, type FlatStoreOptions } from './store';
export { FLAT_HISTORY_MIGRATION } from './store-migration';
