/** The garment engine: flat + fabric + text -> image-biased and text-biased garment images. */
export { GarmentService, GARMENT_JOB, PNG_PARAMETERS_KEY, type GarmentServiceOptions, type RenderInput, type RenderOutput, type RenderedVariant } from './service';
export { GarmentPipeline, VARIANTS, type GarmentRequest, type GarmentRun, type VariantName, type AlphaChoice, type RunControl } from './pipeline';
export { loadGarmentPack, LoadedGarmentPack, type GraphKey, type LoadPackOptions } from './pack';
export { createScheduler, schedulerFromPack, SCHEDULER_NAMES, type Scheduler, type SchedulerName } from './schedulers';
export { ClipTokenizer } from './tokenizer';
export { encodePng, readPngText, imageFromDecoder, type Rgb8 } from './png';
export { registerGarmentCommands } from './cli';
