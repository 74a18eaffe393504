/** Assembly without Python: public safetensors checkpoints become model packs (tools/models/RECIPES.md). */
export { assemblePack, type AssemblePackOptions, type AssembledPack } from './assemble-pack';
export { assembleRecipe, checkRecipe, type AssembleRecipeOptions, type AssembledRecipe } from './assemble-recipe';
export { assembleGraph, checkTensorMap, type AssembleGraphOptions, type SourceSet } from './assemble-graph';
export { recogniseCheckpoint, requireLayout, type CheckpointKind, type RecognisedCheckpoint } from './checkpoint-kind';
export type { AssembledFile } from './data-writer';
export {
  loadRecipe,
  RecipeSchema,
  TensorMapSchema,
  SOURCE_LAYOUTS,
  type LoadedRecipe,
  type Recipe,
  type RecipeGraph,
  type TensorMap,
  type TensorEntry,
  type TensorOp,
  type SourceLayout,
} from './recipe';
export { SafetensorsFile, MAX_HEADER_BYTES, type TensorInfo } from './safetensors';
export { refusePickleByName } from './pickle-guard';
export { planLora } from './lora';
export { WeightSource } from './weight-source';
