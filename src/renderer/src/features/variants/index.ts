export { VariantsPanel } from './VariantsPanel';
