import { hexToLab, roundLab, type Lab } from './colour-space';
import type {
  Bilingual,
  ClosureId,
  ColourId,
  FabricId,
  FitId,
  GarmentId,
  LengthId,
  NecklineId,
  SleeveId,
} from './types';

/**
 * The fabric lexicon: HiGarment's synonym table, as data. Each category has its names in both languages
 * and the words technicians actually write for it (trade names, plurals handled by the matcher, Chinese
 * and English). The extractor matches the longest term first, so "silk satin" is satin and "卡其布" is
 * twill while "卡其" alone is a colour.
 */
export interface FabricEntry {
  id: FabricId;
  name: Bilingual;
  /** What the category covers, shown in the swatch library's category picker. */
  note: string;
  terms: { en: string[]; zh: string[] };
}

export const FABRICS: readonly FabricEntry[] = [
  {
    id: 'denim',
    name: { en: 'Denim', zh: '牛仔布' },
    note: 'warp-faced cotton twill, indigo or coloured',
    terms: { en: ['denim', 'jean', 'chambray denim'], zh: ['牛仔', '牛仔布', '丹宁'] },
  },
  {
    id: 'cotton-twill',
    name: { en: 'Cotton twill', zh: '斜纹棉布' },
    note: 'chino, drill, gabardine',
    terms: {
      en: ['cotton twill', 'twill', 'chino fabric', 'chino', 'drill', 'gabardine', 'cotton drill'],
      zh: ['斜纹', '斜纹布', '斜纹棉', '卡其布', '华达呢'],
    },
  },
  {
    id: 'cotton-poplin',
    name: { en: 'Cotton poplin', zh: '府绸' },
    note: 'plain-weave shirting, broadcloth',
    terms: { en: ['cotton poplin', 'poplin', 'broadcloth', 'shirting'], zh: ['府绸', '平纹棉', '细布'] },
  },
  {
    id: 'silk',
    name: { en: 'Silk', zh: '真丝' },
    note: 'silk crepe de chine, habotai, mulberry silk',
    terms: { en: ['silk', 'mulberry silk', 'crepe de chine', 'habotai'], zh: ['真丝', '丝绸', '桑蚕丝', '绸'] },
  },
  {
    id: 'satin',
    name: { en: 'Satin', zh: '缎面' },
    note: 'satin weave with a lustrous face, sateen, charmeuse',
    terms: {
      en: ['satin', 'silk satin', 'sateen', 'charmeuse', 'duchess satin'],
      zh: ['缎', '缎面', '绸缎', '真丝缎', '丝缎'],
    },
  },
  {
    id: 'chiffon',
    name: { en: 'Chiffon', zh: '雪纺' },
    note: 'sheer, light plain weave; georgette',
    terms: { en: ['chiffon', 'georgette'], zh: ['雪纺', '乔其纱', '乔其'] },
  },
  {
    id: 'linen',
    name: { en: 'Linen', zh: '亚麻' },
    note: 'flax and linen blends',
    terms: { en: ['linen', 'linen blend', 'flax'], zh: ['亚麻', '棉麻', '麻料', '麻布', '苎麻'] },
  },
  {
    id: 'wool',
    name: { en: 'Wool', zh: '羊毛' },
    note: 'wool, merino, cashmere, woollen cloth',
    terms: {
      en: ['wool', 'woollen', 'woolen', 'merino', 'cashmere', 'wool blend', 'boiled wool', 'melton'],
      zh: ['羊毛', '羊绒', '毛呢', '呢子', '羊毛呢', '呢料'],
    },
  },
  {
    id: 'knit-jersey',
    name: { en: 'Knit jersey', zh: '针织' },
    note: 'single jersey, rib, interlock and sweater knits',
    terms: {
      en: ['jersey', 'knit', 'knitted', 'knitwear', 'rib knit', 'ribbed', 'cable knit', 'chunky knit', 'interlock', 'cotton jersey'],
      zh: ['针织', '汗布', '罗纹', '棉毛布'],
    },
  },
  {
    id: 'velvet',
    name: { en: 'Velvet', zh: '丝绒' },
    note: 'cut-pile velvet, velour, velveteen',
    terms: { en: ['velvet', 'velour', 'velveteen', 'crushed velvet'], zh: ['丝绒', '天鹅绒', '金丝绒'] },
  },
  {
    id: 'corduroy',
    name: { en: 'Corduroy', zh: '灯芯绒' },
    note: 'cut-pile cords (wales)',
    terms: { en: ['corduroy', 'needlecord'], zh: ['灯芯绒', '条绒'] },
  },
  {
    id: 'leather',
    name: { en: 'Leather', zh: '皮革' },
    note: 'leather, suede, faux leather',
    terms: { en: ['leather', 'faux leather', 'vegan leather', 'suede', 'nappa'], zh: ['皮革', '真皮', '皮', '麂皮', '仿皮'] },
  },
  {
    id: 'lace',
    name: { en: 'Lace', zh: '蕾丝' },
    note: 'lace and guipure',
    terms: { en: ['lace', 'guipure'], zh: ['蕾丝', '蕾丝布'] },
  },
  {
    id: 'fleece',
    name: { en: 'Fleece', zh: '摇粒绒' },
    note: 'polar fleece, brushed-back fleece, sherpa',
    terms: { en: ['fleece', 'polar fleece', 'sherpa'], zh: ['摇粒绒', '抓绒', '羊羔绒', '珊瑚绒'] },
  },
  {
    id: 'tweed',
    name: { en: 'Tweed', zh: '粗花呢' },
    note: 'woollen tweed, herringbone, boucle',
    terms: { en: ['tweed', 'harris tweed', 'boucle'], zh: ['粗花呢', '花呢', '人字呢'] },
  },
];

/**
 * A bare fibre word ("cotton", 纯棉) names no fabric look by itself; what it means depends on the
 * garment: a cotton T-shirt is jersey, cotton trousers are twill, a cotton shirt is poplin.
 */
export const FIBRE_TERMS = { en: ['cotton', 'pure cotton', '100% cotton', 'organic cotton'], zh: ['棉', '纯棉', '全棉', '棉质', '精梳棉', '棉布'] };

export function fabricForCotton(garment: GarmentId | null): FabricId {
  switch (garment) {
    case 't-shirt':
    case 'polo':
    case 'hoodie':
    case 'sweater':
      return 'knit-jersey';
    case 'trousers':
    case 'shorts':
    case 'jacket':
    case 'coat':
      return 'cotton-twill';
    default:
      return 'cotton-poplin';
  }
}

export interface ColourEntry {
  id: ColourId;
  name: Bilingual;
  /** sRGB, the colour the studio shows and sends for this name. */
  hex: string;
  terms: { en: string[]; zh: string[] };
}

export const COLOURS: readonly ColourEntry[] = [
  { id: 'black', name: { en: 'Black', zh: '黑色' }, hex: '#111111', terms: { en: ['black', 'jet black', 'washed black'], zh: ['黑色', '黑'] } },
  { id: 'white', name: { en: 'White', zh: '白色' }, hex: '#FAFAFA', terms: { en: ['white', 'optic white'], zh: ['白色', '白', '纯白'] } },
  {
    id: 'off-white',
    name: { en: 'Off-white', zh: '米白' },
    hex: '#F1ECDD',
    terms: { en: ['off white', 'ivory', 'cream', 'ecru', 'eggshell'], zh: ['米白', '米白色', '奶白', '奶白色', '象牙白', '奶油色', '乳白'] },
  },
  { id: 'grey', name: { en: 'Grey', zh: '灰色' }, hex: '#8E8E8E', terms: { en: ['grey', 'gray', 'heather grey', 'grey marl', 'marl grey'], zh: ['灰色', '灰'] } },
  { id: 'light-grey', name: { en: 'Light grey', zh: '浅灰' }, hex: '#C9C9C9', terms: { en: ['light grey', 'light gray', 'pale grey'], zh: ['浅灰', '浅灰色', '银灰'] } },
  { id: 'charcoal', name: { en: 'Charcoal', zh: '炭灰' }, hex: '#3B3F45', terms: { en: ['charcoal', 'charcoal grey', 'dark grey', 'dark gray'], zh: ['炭灰', '炭灰色', '深灰', '深灰色', '烟灰'] } },
  {
    id: 'navy',
    name: { en: 'Navy', zh: '藏青' },
    hex: '#1F2A44',
    terms: { en: ['navy', 'navy blue', 'dark blue', 'midnight blue', 'indigo'], zh: ['藏青', '藏青色', '藏蓝', '藏蓝色', '海军蓝', '深蓝', '深蓝色'] },
  },
  { id: 'blue', name: { en: 'Blue', zh: '蓝色' }, hex: '#2E5EAA', terms: { en: ['blue', 'royal blue', 'cobalt'], zh: ['蓝色', '蓝', '宝蓝'] } },
  {
    id: 'light-blue',
    name: { en: 'Light blue', zh: '浅蓝' },
    hex: '#A7C7E7',
    terms: { en: ['light blue', 'sky blue', 'pale blue', 'baby blue'], zh: ['浅蓝', '浅蓝色', '天蓝', '天蓝色', '淡蓝'] },
  },
  { id: 'teal', name: { en: 'Teal', zh: '孔雀蓝' }, hex: '#00807F', terms: { en: ['teal', 'turquoise', 'petrol'], zh: ['孔雀蓝', '青色', '湖蓝', '蓝绿色'] } },
  { id: 'red', name: { en: 'Red', zh: '红色' }, hex: '#C41E3A', terms: { en: ['red', 'scarlet', 'crimson'], zh: ['红色', '红', '大红'] } },
  { id: 'burgundy', name: { en: 'Burgundy', zh: '酒红' }, hex: '#800020', terms: { en: ['burgundy', 'wine', 'maroon', 'oxblood'], zh: ['酒红', '酒红色', '枣红', '暗红'] } },
  { id: 'pink', name: { en: 'Pink', zh: '粉色' }, hex: '#F4A7B9', terms: { en: ['pink', 'pale pink', 'blush', 'rose pink'], zh: ['粉色', '粉红', '粉红色', '粉', '浅粉'] } },
  { id: 'coral', name: { en: 'Coral', zh: '珊瑚色' }, hex: '#FF7F50', terms: { en: ['coral'], zh: ['珊瑚色', '珊瑚红', '珊瑚橙'] } },
  { id: 'orange', name: { en: 'Orange', zh: '橙色' }, hex: '#F28C28', terms: { en: ['orange', 'bright orange'], zh: ['橙色', '橙', '橘色', '橘黄'] } },
  { id: 'yellow', name: { en: 'Yellow', zh: '黄色' }, hex: '#F6D42A', terms: { en: ['yellow', 'lemon'], zh: ['黄色', '黄', '明黄'] } },
  { id: 'mustard', name: { en: 'Mustard', zh: '芥末黄' }, hex: '#D4A017', terms: { en: ['mustard', 'mustard yellow', 'ochre'], zh: ['芥末黄', '姜黄', '土黄'] } },
  { id: 'green', name: { en: 'Green', zh: '绿色' }, hex: '#2E8B57', terms: { en: ['green', 'emerald', 'kelly green'], zh: ['绿色', '绿', '祖母绿'] } },
  {
    id: 'dark-green',
    name: { en: 'Dark green', zh: '墨绿' },
    hex: '#1B4D3E',
    terms: { en: ['dark green', 'forest green', 'bottle green', 'hunter green'], zh: ['墨绿', '墨绿色', '深绿', '深绿色'] },
  },
  { id: 'olive', name: { en: 'Olive', zh: '军绿' }, hex: '#6B7A3A', terms: { en: ['olive', 'olive green', 'army green'], zh: ['军绿', '军绿色', '橄榄绿', '橄榄色'] } },
  { id: 'mint', name: { en: 'Mint', zh: '薄荷绿' }, hex: '#98D7C2', terms: { en: ['mint', 'mint green', 'sage', 'sage green', 'pistachio'], zh: ['薄荷绿', '薄荷色', '浅绿', '豆绿'] } },
  { id: 'khaki', name: { en: 'Khaki', zh: '卡其色' }, hex: '#C3B091', terms: { en: ['khaki'], zh: ['卡其', '卡其色'] } },
  {
    id: 'beige',
    name: { en: 'Beige', zh: '米色' },
    hex: '#D9C8A9',
    terms: { en: ['beige', 'oatmeal', 'sand', 'stone beige', 'nude'], zh: ['米色', '杏色', '燕麦色', '裸色'] },
  },
  { id: 'camel', name: { en: 'Camel', zh: '驼色' }, hex: '#C19A6B', terms: { en: ['camel', 'tan', 'caramel'], zh: ['驼色', '焦糖色'] } },
  { id: 'brown', name: { en: 'Brown', zh: '棕色' }, hex: '#6F4E37', terms: { en: ['brown', 'chocolate', 'rust brown', 'coffee'], zh: ['棕色', '棕', '咖啡色', '咖色', '褐色'] } },
  { id: 'purple', name: { en: 'Purple', zh: '紫色' }, hex: '#6A3D9A', terms: { en: ['purple', 'violet', 'plum'], zh: ['紫色', '紫', '深紫'] } },
  {
    id: 'lavender',
    name: { en: 'Lavender', zh: '淡紫' },
    hex: '#B79FD9',
    terms: { en: ['lavender', 'lilac', 'pale purple'], zh: ['淡紫', '淡紫色', '薰衣草紫', '丁香紫', '香芋紫', '浅紫'] },
  },
  { id: 'gold', name: { en: 'Gold', zh: '金色' }, hex: '#D4AF37', terms: { en: ['gold', 'golden', 'champagne gold'], zh: ['金色', '香槟金'] } },
  { id: 'silver', name: { en: 'Silver', zh: '银色' }, hex: '#C0C0C0', terms: { en: ['silver', 'metallic silver'], zh: ['银色'] } },
];

/** One word or phrase and what it says about the garment; one term may say several things ("jeans"). */
export type Facet =
  | { kind: 'garment'; id: GarmentId }
  | { kind: 'fabric'; id: FabricId }
  | { kind: 'sleeve'; id: SleeveId }
  | { kind: 'neckline'; id: NecklineId }
  | { kind: 'length'; id: LengthId }
  /** "long"/"short"/长/短 on their own: a body length, or a sleeve length when next to "sleeves". */
  | { kind: 'lengthWord'; id: 'long' | 'short'; beforeGarmentOnly?: boolean }
  | { kind: 'sleeveNoun' }
  | { kind: 'closure'; id: ClosureId }
  | { kind: 'pockets'; has: boolean }
  | { kind: 'fit'; id: FitId }
  /** A word that consumes text so a shorter term inside it is not matched (套头衫 is not 套头 + 衫). */
  | { kind: 'none' };

export interface AttributeTerm {
  en?: string[];
  zh?: string[];
  facets: Facet[];
}

const g = (id: GarmentId): Facet => ({ kind: 'garment', id });
const f = (id: FabricId): Facet => ({ kind: 'fabric', id });
const sl = (id: SleeveId): Facet => ({ kind: 'sleeve', id });
const nk = (id: NecklineId): Facet => ({ kind: 'neckline', id });
const ln = (id: LengthId): Facet => ({ kind: 'length', id });
const cl = (id: ClosureId): Facet => ({ kind: 'closure', id });
const ft = (id: FitId): Facet => ({ kind: 'fit', id });
const POCKETS: Facet = { kind: 'pockets', has: true };

export const ATTRIBUTE_TERMS: readonly AttributeTerm[] = [
  // Garments.
  { en: ['t shirt', 'tshirt', 'tee', 'tee shirt'], zh: ['t恤', 't桖', '体恤', 't恤衫'], facets: [g('t-shirt')] },
  { en: ['shirt', 'blouse', 'overshirt', 'button down shirt', 'button up shirt'], zh: ['衬衫', '衬衣', '女衫'], facets: [g('shirt')] },
  { zh: ['雪纺衫'], facets: [g('shirt'), f('chiffon')] },
  { en: ['polo', 'polo shirt'], zh: ['polo衫', 'polo'], facets: [g('polo')] },
  { en: ['hoodie', 'hoody', 'sweatshirt'], zh: ['卫衣'], facets: [g('hoodie')] },
  { en: ['hooded sweatshirt'], zh: ['连帽卫衣', '帽衫'], facets: [g('hoodie'), nk('hood')] },
  { en: ['sweater', 'jumper', 'cardigan', 'cardi'], zh: ['毛衣', '开衫', '毛衫'], facets: [g('sweater')] },
  { zh: ['针织衫', '针织开衫'], facets: [g('sweater'), f('knit-jersey')] },
  {
    en: ['jacket', 'blazer', 'bomber', 'windbreaker', 'anorak', 'puffer', 'suit jacket', 'shacket', 'gilet'],
    zh: ['夹克', '外套', '西装', '西服', '棒球服'],
    facets: [g('jacket')],
  },
  { en: ['leather jacket'], zh: ['皮衣', '皮夹克'], facets: [g('jacket'), f('leather')] },
  { en: ['jean jacket'], facets: [g('jacket'), f('denim')] },
  {
    en: ['coat', 'overcoat', 'trench', 'trench coat', 'parka', 'raincoat', 'peacoat', 'duffle coat', 'duffel coat', 'topcoat'],
    zh: ['大衣', '风衣', '羽绒服', '派克', '派克服', '雨衣', '棉服', '棉衣'],
    facets: [g('coat')],
  },
  { en: ['dress', 'gown', 'sundress', 'frock'], zh: ['连衣裙', '礼服', '礼服裙', '旗袍', '吊带裙', '衬衫裙', 't恤裙', '背带裙'], facets: [g('dress')] },
  { en: ['skirt', 'skort'], zh: ['半身裙', '半裙', '裙子', '裙'], facets: [g('skirt')] },
  { en: ['miniskirt', 'mini skirt'], zh: ['短裙', '迷你裙'], facets: [g('skirt'), ln('short')] },
  { en: ['maxi skirt'], zh: ['长裙'], facets: [g('skirt'), ln('long')] },
  {
    en: ['trousers', 'trouser', 'pants', 'slacks', 'joggers', 'sweatpants', 'leggings', 'long pants', 'long trousers'],
    zh: ['裤', '裤子', '长裤', '西裤', '休闲裤', '运动裤', '工装裤', '卫裤', '打底裤'],
    facets: [g('trousers')],
  },
  { en: ['jeans'], zh: ['牛仔裤'], facets: [g('trousers'), f('denim')] },
  { en: ['chinos'], facets: [g('trousers'), f('cotton-twill')] },
  { en: ['corduroys', 'cords'], facets: [g('trousers'), f('corduroy')] },
  { zh: ['皮裤'], facets: [g('trousers'), f('leather')] },
  { zh: ['阔腿裤'], facets: [g('trousers'), ft('loose')] },
  { en: ['shorts', 'bermuda shorts', 'bermudas'], zh: ['短裤'], facets: [g('shorts')] },

  // Sleeves.
  { en: ['sleeveless', 'no sleeves', 'tank'], zh: ['无袖', '背心式'], facets: [sl('sleeveless')] },
  { en: ['short sleeve', 'short sleeved', 'cap sleeve', 'cap sleeved'], zh: ['短袖', '半袖', '盖袖', '短袖子'], facets: [sl('short')] },
  { en: ['elbow sleeve', 'elbow length sleeve', 'half sleeve', 'half sleeved'], zh: ['五分袖', '中袖'], facets: [sl('elbow')] },
  {
    en: ['3/4 sleeve', '3/4 sleeved', 'three quarter sleeve', 'three quarter sleeved', 'three quarter length sleeve', '3/4 length sleeve'],
    zh: ['七分袖'],
    facets: [sl('three-quarter')],
  },
  { en: ['long sleeve', 'long sleeved', 'full sleeve', 'full length sleeve'], zh: ['长袖', '九分袖', '长袖子'], facets: [sl('long')] },
  { en: ['sleeve'], facets: [{ kind: 'sleeveNoun' }] },

  // Necklines and collars.
  { en: ['crew neck', 'crewneck', 'round neck', 'crew'], zh: ['圆领'], facets: [nk('crew')] },
  { en: ['v neck', 'vneck', 'v neckline'], zh: ['v领', 'v字领', '深v'], facets: [nk('v-neck')] },
  { en: ['scoop neck', 'scoop neckline', 'u neck'], zh: ['u领', 'u型领', 'u形领'], facets: [nk('scoop')] },
  { en: ['boat neck', 'bateau', 'bateau neck', 'slash neck'], zh: ['一字领', '船领'], facets: [nk('boat')] },
  { en: ['square neck', 'square neckline'], zh: ['方领'], facets: [nk('square')] },
  { en: ['turtleneck', 'turtle neck', 'roll neck', 'polo neck', 'high neck'], zh: ['高领'], facets: [nk('turtleneck')] },
  { en: ['mock neck', 'funnel neck'], zh: ['半高领'], facets: [nk('mock-neck')] },
  {
    en: ['collar', 'collared', 'shirt collar', 'camp collar', 'point collar', 'spread collar', 'polo collar', 'sherpa collar', 'peter pan collar'],
    zh: ['翻领', '衬衫领', '领子', 'polo领', '娃娃领'],
    facets: [nk('collar')],
  },
  { en: ['mandarin collar', 'stand collar', 'band collar', 'mandarin'], zh: ['立领', '中式立领'], facets: [nk('mandarin')] },
  { en: ['lapel', 'notch lapel', 'peak lapel', 'notch collar', 'notched lapel', 'shawl collar'], zh: ['西装领', '平驳领', '戗驳领', '青果领'], facets: [nk('lapel')] },
  { en: ['hood', 'hooded'], zh: ['连帽', '带帽', '帽子'], facets: [nk('hood')] },

  // Body length.
  { en: ['cropped', 'crop', 'crop top'], zh: ['露脐', '短款露脐'], facets: [ln('cropped')] },
  { en: ['mini'], zh: ['短款', '迷你', '超短'], facets: [ln('short')] },
  { en: ['knee length', 'knee'], zh: ['及膝', '到膝盖', '膝盖长度'], facets: [ln('knee')] },
  { en: ['midi', 'midi length', 'mid length', 'mid calf', 'calf length', 'tea length'], zh: ['中长款', '中长', '过膝'], facets: [ln('midi')] },
  { en: ['maxi', 'maxi length', 'floor length', 'ankle length', 'full length', 'longline'], zh: ['长款', '及踝', '拖地', '及地'], facets: [ln('long')] },
  { en: ['long'], facets: [{ kind: 'lengthWord', id: 'long' }] },
  { en: ['short'], facets: [{ kind: 'lengthWord', id: 'short' }] },
  { zh: ['长'], facets: [{ kind: 'lengthWord', id: 'long', beforeGarmentOnly: true }] },
  { zh: ['短'], facets: [{ kind: 'lengthWord', id: 'short', beforeGarmentOnly: true }] },

  // Closures.
  {
    en: ['button', 'buttoned', 'button front', 'button down', 'button up', 'button through', 'single breasted', 'double breasted', 'two button'],
    zh: ['纽扣', '扣子', '扣', '排扣', '单排扣', '双排扣', '暗扣', '两粒扣', '一粒扣', '门襟扣'],
    facets: [cl('button')],
  },
  { en: ['zip', 'zipper', 'zipped', 'zip up', 'full zip', 'half zip', 'quarter zip', 'zip front'], zh: ['拉链', '拉链式', '半拉链', '全拉链'], facets: [cl('zip')] },
  { en: ['snap', 'snap button', 'press stud', 'popper', 'snap closure'], zh: ['按扣', '四合扣', '揿扣'], facets: [cl('snap')] },
  { en: ['toggle', 'toggle closure'], zh: ['牛角扣'], facets: [cl('toggle')] },
  { en: ['wrap', 'wrap style', 'wrap front', 'wrap around'], zh: ['裹身', '裹身式', '交叉裹身'], facets: [cl('wrap')] },
  { en: ['pullover', 'pull on', 'slip on'], zh: ['套头', '套头式'], facets: [cl('pullover')] },

  // Pockets.
  {
    en: ['pocket', 'patch pocket', 'flap pocket', 'chest pocket', 'side pocket', 'kangaroo pocket', 'pouch pocket', 'slant pocket', 'welt pocket', 'cargo'],
    zh: ['口袋', '贴袋', '插袋', '斜插袋', '侧袋', '胸袋', '兜', '袋鼠兜', '后袋', '挖袋'],
    facets: [POCKETS],
  },
  { en: ['pocketless'], zh: ['无口袋', '无袋'], facets: [{ kind: 'pockets', has: false }] },

  // Fit.
  { en: ['slim', 'slim fit', 'skinny', 'fitted', 'tapered', 'tailored fit', 'bodycon'], zh: ['修身', '紧身', '收腰', '贴身'], facets: [ft('slim')] },
  { en: ['regular fit', 'regular', 'classic fit', 'standard fit', 'straight fit'], zh: ['常规', '常规版', '常规版型', '标准版型', '标准版', '合体'], facets: [ft('regular')] },
  { en: ['loose', 'loose fit', 'relaxed', 'relaxed fit', 'baggy', 'boxy', 'slouchy', 'wide leg', 'wide legged'], zh: ['宽松', '阔腿', '宽松版', '落肩宽松'], facets: [ft('loose')] },
  { en: ['oversized', 'oversize', 'oversized fit'], zh: ['超宽松', 'oversize'], facets: [ft('oversized')] },
];

/** Words right after a fabric that make it a trim, not the garment's body fabric ("lace trim"). */
export const TRIM_WORDS = {
  en: ['trim', 'trimmed', 'trimming', 'trims', 'lining', 'lined', 'piping', 'detail', 'details', 'panel', 'panels', 'insert', 'inserts', 'yoke', 'cuffs', 'appliqué', 'applique', 'binding'],
  zh: ['花边', '镶边', '滚边', '拼接', '内里', '里布', '内衬', '装饰', '边'],
};

/** Words that negate the term after them within the same clause ("no pockets", 无口袋, 不要扣子). */
export const NEGATORS = {
  en: ['no', 'not', 'without', 'non', 'zero', 'minus', 'never', 'nor'],
  zh: ['无', '没有', '没', '不要', '不带', '不需要', '去掉', '别', '免', '不用'],
};

/** Names of every attribute value in both languages, for the UI and for conflict messages. */
export const GARMENT_NAMES: Record<GarmentId, Bilingual> = {
  't-shirt': { en: 'T-shirt', zh: 'T恤' },
  shirt: { en: 'shirt', zh: '衬衫' },
  polo: { en: 'polo shirt', zh: 'Polo衫' },
  hoodie: { en: 'hoodie', zh: '卫衣' },
  sweater: { en: 'sweater', zh: '毛衣' },
  jacket: { en: 'jacket', zh: '夹克' },
  coat: { en: 'coat', zh: '大衣' },
  dress: { en: 'dress', zh: '连衣裙' },
  skirt: { en: 'skirt', zh: '半身裙' },
  trousers: { en: 'trousers', zh: '裤子' },
  shorts: { en: 'shorts', zh: '短裤' },
};

export const SLEEVE_NAMES: Record<SleeveId, Bilingual> = {
  sleeveless: { en: 'no sleeves', zh: '无袖' },
  short: { en: 'short sleeves', zh: '短袖' },
  elbow: { en: 'elbow-length sleeves', zh: '五分袖' },
  'three-quarter': { en: 'three-quarter sleeves', zh: '七分袖' },
  long: { en: 'long sleeves', zh: '长袖' },
};

export const NECKLINE_NAMES: Record<NecklineId, Bilingual> = {
  crew: { en: 'a crew neck', zh: '圆领' },
  'v-neck': { en: 'a V-neck', zh: 'V领' },
  scoop: { en: 'a scoop neck', zh: 'U领' },
  boat: { en: 'a boat neck', zh: '一字领' },
  square: { en: 'a square neck', zh: '方领' },
  turtleneck: { en: 'a turtleneck', zh: '高领' },
  'mock-neck': { en: 'a mock neck', zh: '半高领' },
  collar: { en: 'a shirt collar', zh: '翻领' },
  mandarin: { en: 'a mandarin collar', zh: '立领' },
  lapel: { en: 'lapels', zh: '西装领' },
  hood: { en: 'a hood', zh: '连帽' },
};

export const LENGTH_NAMES: Record<LengthId, Bilingual> = {
  cropped: { en: 'a cropped length', zh: '露脐短款' },
  short: { en: 'a short length', zh: '短款' },
  knee: { en: 'a knee length', zh: '及膝长度' },
  midi: { en: 'a midi length', zh: '中长款' },
  long: { en: 'a long length', zh: '长款' },
};

export const CLOSURE_NAMES: Record<ClosureId, Bilingual> = {
  button: { en: 'a button closure', zh: '纽扣门襟' },
  zip: { en: 'a zip closure', zh: '拉链' },
  snap: { en: 'snap fasteners', zh: '按扣' },
  toggle: { en: 'toggles', zh: '牛角扣' },
  wrap: { en: 'a wrap front', zh: '裹身式' },
  pullover: { en: 'no opening (pullover)', zh: '套头式' },
};

export const FIT_NAMES: Record<FitId, Bilingual> = {
  slim: { en: 'slim fit', zh: '修身' },
  regular: { en: 'regular fit', zh: '常规版型' },
  loose: { en: 'loose fit', zh: '宽松' },
  oversized: { en: 'oversized fit', zh: '超宽松' },
};

export function fabricEntry(id: FabricId): FabricEntry {
  const entry = FABRICS.find((e) => e.id === id);
  if (!entry) throw new Error(`No fabric category ${id}.`);
  return entry;
}

export function colourEntry(id: ColourId): ColourEntry {
  const entry = COLOURS.find((e) => e.id === id);
  if (!entry) throw new Error(`No colour ${id}.`);
  return entry;
}

/** CIELAB of every lexicon colour, computed once from its hex (D65), rounded to two decimals. */
export const COLOUR_LAB: Readonly<Record<ColourId, Lab>> = Object.fromEntries(
  COLOURS.map((c) => [c.id, roundLab(hexToLab(c.hex))]),
) as Record<ColourId, Lab>;

export function colourLab(id: ColourId): Lab {
  return COLOUR_LAB[id];
}
