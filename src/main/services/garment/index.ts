/** The garment engine: flat + fabric + text -> image-biased and text-biased garment images. */
export { GarmentService, GARMENT_JOB, PNG_PARAMETERS_KEY, type GarmentServiceOptions, type InitRecord, type RenderInput, type RenderOutput, type RenderedVariant } from './service';
export { GarmentGenerator, type GarmentRequest, type GarmentTimings, type GenerateControl } from './generator';
export { GarmentPipeline, VARIANTS, type GarmentRun, type VariantName, type AlphaChoice, type PreparedGarmentRequest, type RunControl } from './pipeline';
export { GARMENT_TASK, type GarmentTaskParams, type GarmentProgress } from './task';
export { loadGarmentPack, LoadedGarmentPack, type GraphKey, type LoadPackOptions } from './pack';
export { createScheduler, schedulerFromPack, SCHEDULER_NAMES, type Scheduler, type SchedulerName } from './schedulers';
export { ClipTokenizer } from './tokenizer';
export { encodePng, readPngText, imageFromDecoder, type Rgb8 } from './png';
export { generationFlat, readFlatFile } from './inputs';
export { librarySwatchCandidates, type ColorwayLibrary, type ColorwaySourceRecord } from './colorway-init';
