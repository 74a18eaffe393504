import {
  KNOWN_CM,
  importSvg,
  measuredLine,
  measurementsFor,
  type FlatDocument,
  type KnownMeasurement,
  type MeasuredLine,
  type ViewMode,
  type ViewsFound,
} from '../../../../../shared/flat';

/** What a garment template tells the import form: its kind and its usual measurements in cm. */
export interface KindReference {
  category: string;
  name: string;
  reference: Record<KnownMeasurement, number | null>;
}

/** A known measurement, or 'page': the drawing is to scale already and keeps its page's units. */
export type ScaleChoice = KnownMeasurement | 'page';

export interface ImportChoices {
  views: ViewMode;
  category: string;
  scale: ScaleChoice;
  /** As typed, in cm. */
  cm: string;
}

/** Words in file names that say which kind of garment a drawing is (besides the kinds' own names). */
const KIND_WORDS: Record<string, string> = {
  tee: 't-shirt',
  tshirt: 't-shirt',
  blouse: 'shirt',
  qipao: 'dress',
  cheongsam: 'dress',
  旗袍: 'dress',
  连衣裙: 'dress',
  衬衫: 'shirt',
  夹克: 'jacket',
  大衣: 'coat',
  卫衣: 'hoodie',
  裙: 'skirt',
  裤: 'trousers',
  pants: 'trousers',
  jeans: 'trousers',
};

/** The garment kind a file's name suggests, among the kinds there are templates of; 'other' if none. */
export function guessCategory(fileName: string, kinds: readonly string[]): string {
  const name = fileName.toLowerCase();
  const words = name.split(/[^a-z\u4e00-\u9fff]+/).filter(Boolean);
  const direct = kinds.find((k) => words.includes(k.replace('-', '')) || name.includes(k));
  if (direct) return direct;
  for (const [word, kind] of Object.entries(KIND_WORDS)) if ((words.includes(word) || (/[\u4e00-\u9fff]/.test(word) && name.includes(word))) && kinds.includes(kind)) return kind;
  return 'other';
}

/** The measurements a kind offers, then keeping the page's scale. */
export const scaleChoices = (category: string): ScaleChoice[] => [...measurementsFor(category), 'page'];

/** The value a kind's template gives a measurement, as the form's field shows it ('' where it has none). */
export function prefill(kinds: readonly KindReference[], category: string, scale: ScaleChoice): string {
  if (scale === 'page') return '';
  const cm = kinds.find((k) => k.category === category)?.reference[scale] ?? null;
  return cm === null ? '' : String(cm);
}

/** The translation key that says how the views were told apart. */
export function foundKey(found: ViewsFound): string {
  if (found.by === 'gap') return found.axis === 'x' ? 'editor:import.found.sideBySide' : 'editor:import.found.stacked';
  return `editor:import.found.${found.by}`;
}

export type ImportPreview =
  | { ok: true; doc: FlatDocument; views: ViewsFound; line: MeasuredLine | null }
  | { ok: false; message: string };

/** The drawing as it would be imported, before any scale is set, with the line the scale is measured on. */
export function previewImport(text: string, name: string, choices: Pick<ImportChoices, 'views' | 'scale'>): ImportPreview {
  try {
    const { doc, views } = importSvg(text, { name, views: choices.views });
    const measured = doc.views.find((v) => v.items.length > 0) ?? doc.views[0]!;
    return { ok: true, doc, views, line: choices.scale === 'page' ? null : measuredLine(measured, choices.scale) };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

export type ImportCheck = { ok: true; cm: number | null } | { ok: false; error: 'notNumber' | 'range' | 'nothingToMeasure' };

/** Whether the typed length can be used: a number in KNOWN_CM, on a drawing that has the measurement. */
export function checkKnown(choices: ImportChoices, preview: ImportPreview): ImportCheck {
  if (choices.scale === 'page') return { ok: true, cm: null };
  if (preview.ok && !preview.line) return { ok: false, error: 'nothingToMeasure' };
  const cm = Number(choices.cm.trim().replace(',', '.'));
  if (choices.cm.trim() === '' || !Number.isFinite(cm)) return { ok: false, error: 'notNumber' };
  if (cm < KNOWN_CM.min || cm > KNOWN_CM.max) return { ok: false, error: 'range' };
  return { ok: true, cm };
}

/** The imported flat: its views as chosen, its kind, and its scale from the known length. */
export function importWith(text: string, name: string, choices: ImportChoices, cm: number | null): FlatDocument {
  const category = choices.category as FlatDocument['attributes']['category'];
  return importSvg(text, {
    name,
    views: choices.views,
    category,
    ...(cm !== null && choices.scale !== 'page' ? { known: { measurement: choices.scale, cm } } : {}),
  }).doc;
}
