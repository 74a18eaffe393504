export { EditorPanel, type OpenFlatSummary } from './EditorPanel';
