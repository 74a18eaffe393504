import { z } from 'zod';

/**
 * The language the tech-pack sheets print their own labels in. A tech pack is a factory document:
 * bilingual English + Chinese is the default (as the sheets always printed), Chinese first when the
 * studio is in Chinese (what a technician there hands the factory), or one language alone. Only the
 * sheets' labels follow it; what the technician typed prints as typed, and the stored document and
 * the revision's own PDF in the library do not change with it.
 */
export const SHEET_LANGUAGES = ['en+zh', 'zh+en', 'zh', 'en'] as const;
export const SheetLanguageSchema = z.enum(SHEET_LANGUAGES);
export type SheetLanguage = z.infer<typeof SheetLanguageSchema>;
export const DEFAULT_SHEET_LANGUAGE: SheetLanguage = 'en+zh';

/** The sheet language a studio in `studioLanguage` prints in unless told otherwise: Chinese first in Chinese. */
export function sheetLanguageFor(studioLanguage: string): SheetLanguage {
  return studioLanguage.toLowerCase().startsWith('zh') ? 'zh+en' : DEFAULT_SHEET_LANGUAGE;
}

/** A label in both languages, set as `lang` asks: "Cover 封面", "封面 Cover", "封面" or "Cover". */
export function sheetLabel(en: string, zh: string, lang: SheetLanguage): string {
  switch (lang) {
    case 'en+zh':
      return `${en} ${zh}`;
    case 'zh+en':
      return `${zh} ${en}`;
    case 'zh':
      return zh;
    case 'en':
      return en;
  }
}

/**
 * A bilingual label written as the sheets write it, English then Chinese ("Bill of Materials 物料清单",
 * "Tol. ± 公差"), set as `lang` asks. The Chinese part begins at the first Han character.
 */
export function sheetWords(lang: SheetLanguage): (bilingual: string) => string {
  return (bilingual) => {
    const at = bilingual.search(/\p{Script=Han}/u);
    if (at <= 0) return bilingual;
    return sheetLabel(bilingual.slice(0, at).trim(), bilingual.slice(at).trim(), lang);
  };
}
