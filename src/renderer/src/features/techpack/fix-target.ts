import type { PreflightTarget } from '../../../../shared/techpack';

/**
 * The element a preflight link leads to: the control carrying the issue's section and item, or,
 * for an issue about a whole section (or an item the form does not show yet), the section itself.
 * Matched on the data attributes' values, not a CSS selector, as item ids may hold any character.
 */
export function fixElement(root: ParentNode, target: PreflightTarget): HTMLElement | null {
  const all = Array.from(root.querySelectorAll<HTMLElement>('[data-section]')).filter((el) => el.dataset.section === target.section);
  const item = target.itemId ?? '';
  return all.find((el) => el.dataset.item === item) ?? all.find((el) => el.tagName === 'FIELDSET') ?? all[0] ?? null;
}
