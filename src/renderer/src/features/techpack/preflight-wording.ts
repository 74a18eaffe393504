import type { TFunction } from 'i18next';
import type { PreflightCode, PreflightIssue } from '../../../../shared/techpack';
import { pomLabel } from '../../lib/i18n-names';

/**
 * Codes whose English message carries more than their params (a schema's reason, the sheet field's
 * label and a hint): English shows the main side's message, other languages the locale's sentence.
 */
const DETAILED_IN_ENGLISH: ReadonlySet<PreflightCode> = new Set(['DOCUMENT_INVALID', 'POM_GRADE_INVALID', 'TEXT_OVERFLOW', 'TEXT_TRUNCATED']);

/** A preflight finding in the UI language, from its code and params (techpack:issue.*). */
export function preflightMessage(t: TFunction, language: string, issue: PreflightIssue): string {
  if (language === 'en' && DETAILED_IN_ENGLISH.has(issue.code)) return issue.message;
  const p = issue.params ?? {};
  const section = t(`techpack:section.${issue.target.section}`);
  switch (issue.code) {
    case 'COVER_INCOMPLETE':
      return t(p.field === 'name' ? 'techpack:issue.COVER_INCOMPLETE.name' : 'techpack:issue.COVER_INCOMPLETE.styleNumber');
    case 'POM_VALUE_MISSING':
    case 'POM_UNIT_MISSING': {
      const description = typeof p.description === 'string' && p.description ? pomLabel(t, p.description) : '';
      const pom = description ? t('techpack:issue.pomDescribed', { code: p.code, description }) : t('techpack:issue.pom', { code: p.code });
      return t(`techpack:issue.${issue.code}`, { pom });
    }
    case 'DOCUMENT_INVALID':
    case 'TEXT_OVERFLOW':
    case 'TEXT_TRUNCATED':
      return t(`techpack:issue.${issue.code}`, { ...p, section });
    default:
      return t(`techpack:issue.${issue.code}`, { ...p, defaultValue: issue.message });
  }
}
