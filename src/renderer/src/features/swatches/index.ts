export { SwatchPanel } from './SwatchPanel';
export { SwatchChooser, type ChooserOption } from './SwatchChooser';
