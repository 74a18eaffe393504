import { useTranslation } from 'react-i18next';
import { ensureBundle } from '../swatches/text';

/** The prompt panel's strings in both languages, merged into the app's translation at first use. */
export const PROMPT_TEXT = {
  en: {
    promptPanel: {
      title: 'Prompt',
      label: 'Describe the garment (Chinese or English)',
      placeholder: 'e.g. navy denim jacket, long sleeves, two chest pockets / 藏青色牛仔夹克，长袖，两个胸袋',
      reading: 'Reading…',
      failed: 'The prompt could not be read.',
      understood: 'What the studio reads',
      nothing: 'No fabric, colour or garment detail recognised yet.',
      fields: {
        fabric: 'Fabric',
        trims: 'Trims',
        colours: 'Colours',
        garment: 'Garment',
        sleeve: 'Sleeves',
        neckline: 'Neckline',
        length: 'Length',
        closure: 'Closure',
        pockets: 'Pockets',
        fit: 'Fit',
        colour: 'Colour',
        details: 'Details',
      },
      structured: 'Fields',
      unset: '—',
      detailsPlaceholder: 'sleeves, neckline, pockets…',
      correct: 'Click to correct',
      correctedFrom: 'Corrected; the text said {{value}}',
      removed: 'removed',
      remove: 'Remove',
      reset: 'Reset to what the text said',
      pockets: { yes: 'with pockets', no: 'no pockets' },
      swatch: 'Fabric condition: swatch “{{name}}”',
      noSwatch: 'No {{fabric}} swatch in this project: the render follows the text alone.',
      words: 'Matched words',
      conflicts: 'Sketch and text disagree',
      noConflicts: 'The text agrees with the flat.',
    },
  },
  zh: {
    promptPanel: {
      title: '提示词',
      label: '描述服装（中文或英文）',
      placeholder: '例如：藏青色牛仔夹克，长袖，两个胸袋 / navy denim jacket, long sleeves',
      reading: '正在解析…',
      failed: '无法解析提示词。',
      understood: '识别结果',
      nothing: '尚未识别到面料、颜色或款式细节。',
      fields: {
        fabric: '面料',
        trims: '辅料面料',
        colours: '颜色',
        garment: '品类',
        sleeve: '袖长',
        neckline: '领型',
        length: '衣长',
        closure: '门襟',
        pockets: '口袋',
        fit: '版型',
        colour: '颜色',
        details: '细节',
      },
      structured: '字段',
      unset: '—',
      detailsPlaceholder: '袖长、领型、口袋…',
      correct: '点击更正',
      correctedFrom: '已更正；文字原为 {{value}}',
      removed: '已移除',
      remove: '移除',
      reset: '恢复为文字所写',
      pockets: { yes: '有口袋', no: '无口袋' },
      swatch: '面料条件：小样“{{name}}”',
      noSwatch: '本项目没有{{fabric}}小样：生成只依据文字。',
      words: '匹配的词',
      conflicts: '款式图与文字不一致',
      noConflicts: '文字与款式图一致。',
    },
  },
} as const;

export function usePromptText() {
  const translation = useTranslation();
  ensureBundle(translation.i18n, PROMPT_TEXT);
  return translation;
}
