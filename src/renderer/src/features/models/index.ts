export { ModelPacksPanel } from './ModelPacksPanel';
