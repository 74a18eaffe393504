import { createContext, useContext } from 'react';

/**
 * Where the garment's swatch choice is kept between visits, supplied by the shell (the project's
 * memory): FROM_PROMPT, NO_SWATCH or a swatch id, as useGarmentSwatch holds it. Without a provider
 * the choice lasts as long as the panel.
 */
export interface GarmentSwatchMemory {
  kept(projectId: string): string;
  remember(projectId: string, choice: string): void;
}

export const GarmentSwatchMemoryContext = createContext<GarmentSwatchMemory | null>(null);

export const useGarmentSwatchMemory = (): GarmentSwatchMemory | null => useContext(GarmentSwatchMemoryContext);
