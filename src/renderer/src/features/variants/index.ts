export { VariantsPanel } from './VariantsPanel';
export { GarmentSwatchMemoryContext, type GarmentSwatchMemory } from './garment-swatch-memory';
