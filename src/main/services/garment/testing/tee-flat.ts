/** A short-sleeved tee outline drawn at 1 mm per unit: the flat the garment tests render. */
export const TEE_FLAT_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="200mm" height="200mm" viewBox="0 0 200 200">
  <path d="M60 30 L140 30 L180 70 L155 90 L145 80 L145 180 L55 180 L55 80 L45 90 L20 70 Z" fill="none" stroke="#000" stroke-width="2"/>
</svg>`;
