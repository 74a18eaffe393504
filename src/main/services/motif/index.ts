export { MotifService, IMPORT_JOB, isLibraryFileRef } from './service';
export { importMotifs, type ImportReport, type ImportOptions, type ImportHooks } from './import';
export { searchCaptions } from './search';
export { segmentForIndex, parseQuery, matchExpression } from './text';
export * from './index/index';
export { searchMotifs, type SearchSides, type VectorSide } from './motif-search';
export { reciprocalRankFusion, DEFAULT_RRF_K, type FusedItem } from './fusion';
export { decodeRgb, toPixels, pixelBox, type PixelSpec } from './preprocess';
export { vectorStatus, reweighCrops, countVectors, type IndexReport } from './vectors';
