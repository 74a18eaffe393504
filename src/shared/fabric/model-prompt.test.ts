import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCorpus } from './evaluate';
import { extractPrompt } from './extract';
import { englishModelPrompt, modelPromptFor, ZH_ENGLISH } from './model-prompt';

/** The fields a composed prompt must say exactly as the typed one did. */
const FIELDS = ['garment', 'fabric', 'colours', 'sleeve', 'neckline', 'length', 'closure', 'pockets', 'fit', 'trimFabrics'] as const;
const HAN = /\p{Script=Han}/u;

function readAs(text: string) {
  const e = extractPrompt(text);
  return Object.fromEntries(FIELDS.map((f) => [f, e[f]]));
}

describe('englishModelPrompt', () => {
  it('composes a Chinese prompt in SD 1.5 caption order: the garment with colour and fabric, then its details', () => {
    expect(englishModelPrompt('红色真丝旗袍，长袖，立领，及踝').text).toBe('a red silk qipao dress, long sleeves, mandarin collar, ankle length');
    expect(englishModelPrompt('藏青色羊毛大衣，双排扣，及膝，贴袋').text).toBe('a navy blue wool coat, knee length, double-breasted, patch pockets');
    expect(englishModelPrompt('白色纯棉T恤，短袖，圆领，宽松').text).toBe('a white cotton t-shirt, short sleeves, crew neck, loose fit');
  });

  it("keeps a mixed prompt's own English words, the technician's word over the category's", () => {
    expect(englishModelPrompt('黑色丝绒 hoodie').text).toBe('a black velvet hoodie');
    expect(englishModelPrompt('蓝色 crushed velvet 连衣裙，蕾丝花边').text).toBe('a blue crushed velvet dress, lace trim');
    expect(englishModelPrompt('红色 hoodie with embroidery, 不要口袋').text).toBe('a red hoodie, no pockets, embroidery');
    expect(englishModelPrompt('连帽卫衣 in grey fleece').text).toBe('a grey fleece hooded sweatshirt');
  });

  it('says a term that names two things once, and no article before a plural garment', () => {
    expect(englishModelPrompt('黑色牛仔裤，修身').text).toBe('black jeans, slim fit');
    expect(englishModelPrompt('棕色皮衣，拉链').text).toBe('a brown leather jacket, zip front');
    expect(englishModelPrompt('米白色亚麻阔腿裤').text).toBe('off-white linen wide-leg trousers');
  });

  it('invents nothing: negated terms and words the lexicon cannot read are left out, and the unread ones named', () => {
    expect(englishModelPrompt('卡其色风衣，不要帽子')).toEqual({ text: 'a khaki trench coat', composed: true, unread: [] });
    expect(englishModelPrompt('刺绣旗袍 with lace trim')).toEqual({ text: 'a qipao dress, lace trim', composed: true, unread: ['刺绣'] });
    expect(englishModelPrompt('好看的衣服')).toEqual({ text: '', composed: true, unread: ['好看的衣服'] });
  });

  it('passes a prompt without Chinese through, only its whitespace folded', () => {
    expect(englishModelPrompt('  Black   velvet\thoodie, NO pockets ')).toEqual({ text: 'Black velvet hoodie, NO pockets', composed: false, unread: [] });
    expect(englishModelPrompt('a red silk qipao')).toEqual({ text: 'a red silk qipao', composed: false, unread: [] });
  });

  it('reads back as the same garment for every Chinese prompt of the labelled corpora, with no Chinese left', () => {
    const prompts = ['extraction-corpus.jsonl', 'extraction-heldout.jsonl']
      .flatMap((file) => parseCorpus(fs.readFileSync(new URL(`./${file}`, import.meta.url), 'utf8')))
      .map((c) => c.text)
      .filter((text) => HAN.test(text));
    expect(prompts.length).toBeGreaterThanOrEqual(150);
    for (const prompt of prompts) {
      const english = englishModelPrompt(prompt).text;
      expect(english, prompt).not.toMatch(HAN);
      expect(readAs(english), `${prompt} → ${english}`).toEqual(readAs(prompt));
    }
  });

  it("gives each Chinese term of its own table English that the lexicon reads as that term", () => {
    for (const [zh, english] of Object.entries(ZH_ENGLISH)) {
      const matches = extractPrompt(zh).matches;
      expect(matches.map((m) => m.text), `${zh} is one lexicon term`).toEqual([zh]);
      expect(readAs(english), `${zh} → ${english}`).toEqual(readAs(zh));
    }
  });
});

describe('modelPromptFor', () => {
  it('composes English for an SD 1.5 pack and leaves the HiGarment pack and unknown architectures the prompt as typed', () => {
    const typed = '  红色真丝旗袍， 长袖 ';
    expect(modelPromptFor('sd15-ip-adapter', typed)).toMatchObject({ text: 'a red silk qipao dress, long sleeves', composed: true });
    expect(modelPromptFor('higarment', typed)).toEqual({ text: typed, composed: false, unread: [] });
    expect(modelPromptFor('sdxl-something', typed)).toEqual({ text: typed, composed: false, unread: [] });
  });
});
