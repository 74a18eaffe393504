import { describe, expect, it } from 'vitest';
import { sheetLabel, sheetLanguageFor, sheetWords } from './sheet-language';

describe('the tech-pack sheet language', () => {
  it('prints Chinese first when the studio is in Chinese, English first otherwise', () => {
    expect(sheetLanguageFor('zh')).toBe('zh+en');
    expect(sheetLanguageFor('zh-CN')).toBe('zh+en');
    expect(sheetLanguageFor('en')).toBe('en+zh');
  });

  it('sets a bilingual label in each order or alone', () => {
    expect(sheetLabel('Cover', '封面', 'en+zh')).toBe('Cover 封面');
    expect(sheetLabel('Cover', '封面', 'zh+en')).toBe('封面 Cover');
    expect(sheetLabel('Cover', '封面', 'zh')).toBe('封面');
    expect(sheetLabel('Cover', '封面', 'en')).toBe('Cover');
  });

  it('splits the sheets’ written labels at the first Chinese character', () => {
    expect(sheetWords('zh+en')('Bill of Materials 物料清单')).toBe('物料清单 Bill of Materials');
    expect(sheetWords('zh+en')('Tol. ± 公差')).toBe('公差 Tol. ±');
    expect(sheetWords('zh')('Construction & Motifs 工艺说明与纹样')).toBe('工艺说明与纹样');
    expect(sheetWords('en')('TECH PACK 工艺单')).toBe('TECH PACK');
    // A text with no Chinese part (or only Chinese) is printed as it is.
    expect(sheetWords('zh')('QP-0616')).toBe('QP-0616');
    expect(sheetWords('en')('封面')).toBe('封面');
  });
});
