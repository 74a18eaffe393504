import fs from 'node:fs';
import { AppError } from '../../../shared/contract';
import { CatalogueSchema, type Catalogue } from '../../../shared/contract/models';

/** Reads catalogue.json; a missing file is an empty catalogue, a malformed one a clear error. */
export function loadCatalogue(file: string): Catalogue {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { catalogueVersion: 1, packs: [], recipes: [] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError('INVALID_INPUT', `The model catalogue ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = CatalogueSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(catalogue)'}: ${i.message}`).join('; ');
    throw new AppError('INVALID_INPUT', `The model catalogue ${file} is malformed: ${issues}`);
  }
  return parsed.data;
}
