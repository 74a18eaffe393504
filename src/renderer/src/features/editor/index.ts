export { EditorPanel, type OpenFlatSummary } from './EditorPanel';
export { EditorMemoryContext, type EditorMemory } from './model/editor-memory';
