import type { TFunction } from 'i18next';

/**
 * A render's alpha as its caption words it: "α 0.83 (auto)", "α 0.83（自动）". The note's brackets come
 * from the locale (variants:withNote), since Chinese text brackets a note in full-width （）.
 */
export function alphaCaption(t: TFunction, alpha: number, auto: boolean): string {
  const value = `α ${alpha.toFixed(2)}`;
  return auto ? t('variants:withNote', { value, note: t('variants:auto') }) : value;
}
