import type { Swatch } from '../../../../shared/contract';

/** The garment's swatch as the technician chose it: the prompt's pick, none, or a swatch id. */
export const FROM_PROMPT = '';
export const NO_SWATCH = 'none';

/** What the generate request takes of the garment's swatch. */
export interface SwatchRequest {
  swatchId?: string;
  /** The fabric word, from the chosen swatch's category when the prompt names no fabric. */
  fabric?: NonNullable<Swatch['category']>;
}

/** What the prompt's reading says about fabric: the word it found and the project swatch it linked. */
export interface PromptFabric {
  fabric: string | null;
  linkedSwatchId: string | null;
}

/**
 * The swatch a render uses and the fabric it is told. The prompt's pick needs no fabric word (it was
 * found through one); a swatch picked by hand brings its category when the prompt names no fabric, as
 * the engine needs a fabric to fuse a swatch photo with and the technician has just said which cloth.
 */
export function swatchRequest(choice: string, prompt: PromptFabric, chosen: Pick<Swatch, 'id' | 'category'> | null): SwatchRequest {
  if (choice === NO_SWATCH) return {};
  if (choice === FROM_PROMPT) return prompt.linkedSwatchId ? { swatchId: prompt.linkedSwatchId } : {};
  const category = chosen?.id === choice ? chosen.category : null;
  return { swatchId: choice, ...(!prompt.fabric && category ? { fabric: category } : {}) };
}
