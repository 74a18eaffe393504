import type { TFunction } from 'i18next';

/**
 * Names the studio itself gives things (the default layers, the templates' measurements and names, a
 * measurement drawn with the tool, an imported drawing's unnamed layer) are stored in English in the
 * flat document, which the CLI, the exports and older libraries share. They are shown through the
 * locale files here, recognised by the exact name the shared code wrote; a name the technician typed
 * matches none of them and is shown as typed.
 */

/** Default layer names → their key under editor:names.layer. */
const LAYERS: Readonly<Record<string, string>> = {
  Outline: 'outline',
  Seams: 'seams',
  Stitching: 'stitching',
  Trims: 'trims',
  Construction: 'construction',
  Drawing: 'drawing',
  Layer: 'layer',
};

/** Measurement names the garment templates ship with → their key under editor:names.pom. */
const POMS: Readonly<Record<string, string>> = {
  'High point of shoulder to centre hem': 'hpsToHem',
  'Length at side': 'sideLength',
  Outseam: 'outseam',
  'Waist width': 'waistWidth',
};

/** Template names (resources/templates/index.json) → their key under editor:names.template. */
const TEMPLATES: Readonly<Record<string, string>> = {
  'T-shirt': 't-shirt',
  Shirt: 'shirt',
  'Polo shirt': 'polo',
  Hoodie: 'hoodie',
  'Zip jacket': 'jacket',
  Coat: 'coat',
  'Sleeveless dress': 'dress',
  'A-line skirt': 'skirt',
  'Five-pocket trousers': 'trousers',
  Shorts: 'shorts',
};

/** A layer's name as shown: "Drawing 2" and Inkscape's "Layer 1" keep their number. */
export function layerLabel(t: TFunction, name: string): string {
  const m = /^(\p{L}+)(?: (\d+))?$/u.exec(name);
  const key = m ? LAYERS[m[1]!] : undefined;
  if (!key) return name;
  return m![2] ? t('editor:names.layerNumbered', { name: t(`editor:names.layer.${key}`), n: m![2] }) : t(`editor:names.layer.${key}`);
}

/** A point of measure's name as shown: the templates' names, and "Measurement P1" from the measure tool. */
export function pomLabel(t: TFunction, name: string): string {
  const drawn = /^Measurement (\S+)$/.exec(name);
  if (drawn) return t('editor:names.measurement', { code: drawn[1] });
  const key = POMS[name];
  return key ? t(`editor:names.pom.${key}`) : name;
}

/**
 * A point of measure with its code, as a list or a menu shows it: "P1 衣长" for a named one, and only
 * "测量 P1" for one the measure tool named after its code, so the code is never read twice.
 */
export function pomWithCode(t: TFunction, pom: { code: string; name: string }): { code: string | null; name: string } {
  const name = pomLabel(t, pom.name);
  return pom.name === `Measurement ${pom.code}` ? { code: null, name } : { code: pom.code, name };
}

/** A template's name, and the name of a flat begun from one, as shown. */
export function templateLabel(t: TFunction, name: string): string {
  const key = TEMPLATES[name];
  return key ? t(`editor:names.template.${key}`) : name;
}

/** Every English name recognised here, for the locale tests: each must have a key in both languages. */
export const KNOWN_NAMES = { layers: LAYERS, poms: POMS, templates: TEMPLATES } as const;

/**
 * A motif's credit line: the importer writes "Photo by <author>" when a collection gives only an
 * author (services/motif/sources.ts); any other credit is the collection's own text, shown as it is.
 */
export function creditLabel(t: TFunction, source: string): string {
  const m = /^Photo by (.+)$/.exec(source);
  return m ? t('motifs:photoBy', { author: m[1] }) : source;
}
