export { SwatchPanel } from './SwatchPanel';
