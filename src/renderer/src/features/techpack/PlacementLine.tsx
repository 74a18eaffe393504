import { useTranslation } from 'react-i18next';
import type { MotifPlacement } from '../../../../shared/techpack';
import { placementsParts } from './placement-label';

/**
 * Where a motif is printed on the flats, worded in the studio's language; the flat's, print's and
 * panel's names are the technician's and stay as given (translate="no", so neither a translation tool
 * nor the no-English check rewrites "qipao-front-back").
 */
export function PlacementLine({ places }: { places: readonly MotifPlacement[] }) {
  const { t } = useTranslation();
  return (
    <>
      {placementsParts(t, places).map((part, i) =>
        'text' in part ? (
          part.text
        ) : (
          <span key={i} translate="no" data-testid="placement-name">
            {part.name}
          </span>
        ),
      )}
    </>
  );
}
