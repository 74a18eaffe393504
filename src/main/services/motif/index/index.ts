export { Int8VectorIndex, type RowReader, type SearchHit, type Int8IndexOptions, type SearchOptions } from './int8-index';
export { LaclipIndex, storeMotifEmbeddings, type EmbeddingModel, type MotifEmbeddings, type LaclipHit } from './laclip-index';
export { DEFAULT_LACLIP, bestCrop, combinedVector, cropWeights, laclipScore, normalise, type LaclipSettings } from './laclip';
export { DEFAULT_CROPS, cropBoxes, type CropBox, type CropScheme } from './crops';
