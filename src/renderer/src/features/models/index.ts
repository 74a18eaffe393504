export { ModelPacksPanel } from './ModelPacksPanel';
export { OpenModelsContext, PackRequired, RequirePack, usePackOfKind, type PackAvailability } from './PackRequired';
