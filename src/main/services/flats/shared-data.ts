import { sharedData } from '../../shared-data';

/** The read-only garment flats shared with the project (never copied into the repo). */
export function garmentFlatsDir(): string {
  return sharedData('garment_flats');
}
