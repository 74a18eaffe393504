/**
 * Bilingual lexicon of motif terms, so a search in one language finds captions written in the
 * other ("lotus" finds 莲花, 凤 finds "phoenix"). Each entry is one concept: English words (lower
 * case, singular; the search stems them) and the Chinese terms a caption may use for it, the most
 * common first. Terms are the ones museum captions and the CulTi corpus actually use.
 */
export interface MotifTerm {
  en: readonly string[];
  zh: readonly string[];
}

export const MOTIF_LEXICON: readonly MotifTerm[] = [
  // Flowers and plants
  { en: ['lotus'], zh: ['莲花', '荷花', '莲', '荷'] },
  { en: ['peony'], zh: ['牡丹'] },
  { en: ['chrysanthemum'], zh: ['菊花', '菊'] },
  { en: ['plum blossom', 'plum'], zh: ['梅花', '梅'] },
  { en: ['orchid'], zh: ['兰花', '兰'] },
  { en: ['bamboo'], zh: ['竹子', '竹'] },
  { en: ['pine'], zh: ['松树', '松'] },
  { en: ['peach'], zh: ['桃子', '寿桃', '桃'] },
  { en: ['pomegranate'], zh: ['石榴'] },
  { en: ['grape', 'grapevine'], zh: ['葡萄'] },
  { en: ['gourd', 'calabash'], zh: ['葫芦'] },
  { en: ['flower', 'floral', 'blossom'], zh: ['花卉', '花朵', '花'] },
  { en: ['scroll', 'scrolling vine', 'arabesque'], zh: ['卷草纹', '缠枝纹', '卷草', '缠枝'] },
  { en: ['leaf', 'foliage'], zh: ['叶子', '叶'] },
  { en: ['tree'], zh: ['树'] },
  { en: ['honeysuckle'], zh: ['忍冬纹', '忍冬'] },
  { en: ['baoxiang', 'rosette'], zh: ['宝相花'] },
  { en: ['lingzhi', 'fungus'], zh: ['灵芝'] },
  // Creatures
  { en: ['dragon'], zh: ['龙纹', '龙'] },
  { en: ['phoenix'], zh: ['凤凰', '凤'] },
  { en: ['crane'], zh: ['仙鹤', '鹤'] },
  { en: ['bat'], zh: ['蝙蝠'] },
  { en: ['fish'], zh: ['鱼纹', '鱼'] },
  { en: ['carp'], zh: ['鲤鱼'] },
  { en: ['tiger'], zh: ['老虎', '虎'] },
  { en: ['lion'], zh: ['狮子', '狮'] },
  { en: ['deer'], zh: ['鹿'] },
  { en: ['horse'], zh: ['马'] },
  { en: ['bird'], zh: ['鸟'] },
  { en: ['duck', 'mandarin duck'], zh: ['鸳鸯', '鸭'] },
  { en: ['goose'], zh: ['鹅', '雁'] },
  { en: ['butterfly'], zh: ['蝴蝶', '蝶'] },
  { en: ['bee'], zh: ['蜜蜂', '蜂'] },
  { en: ['turtle', 'tortoise'], zh: ['乌龟', '龟'] },
  { en: ['snake', 'serpent'], zh: ['蛇'] },
  { en: ['elephant'], zh: ['大象', '象'] },
  { en: ['camel'], zh: ['骆驼'] },
  { en: ['ox', 'cow', 'bull'], zh: ['牛'] },
  { en: ['sheep', 'goat', 'ram'], zh: ['羊'] },
  { en: ['rabbit', 'hare'], zh: ['兔子', '兔'] },
  { en: ['monkey'], zh: ['猴子', '猴'] },
  { en: ['rooster', 'chicken'], zh: ['公鸡', '鸡'] },
  { en: ['peacock'], zh: ['孔雀'] },
  { en: ['magpie'], zh: ['喜鹊'] },
  { en: ['qilin', 'unicorn'], zh: ['麒麟'] },
  { en: ['taotie', 'ogre mask'], zh: ['饕餮纹', '饕餮'] },
  { en: ['kui dragon'], zh: ['夔龙纹', '夔龙', '夔'] },
  { en: ['cicada'], zh: ['蝉纹', '蝉'] },
  // Figures and Buddhist themes
  { en: ['apsara', 'flying celestial'], zh: ['飞天'] },
  { en: ['buddha'], zh: ['佛像', '佛'] },
  { en: ['bodhisattva'], zh: ['菩萨'] },
  { en: ['guardian'], zh: ['天王', '力士'] },
  { en: ['figure', 'people'], zh: ['人物'] },
  { en: ['immortal'], zh: ['仙人'] },
  { en: ['child', 'boy'], zh: ['童子', '婴戏'] },
  // Nature and geometric patterns
  { en: ['cloud'], zh: ['云纹', '祥云', '云'] },
  { en: ['wave', 'water'], zh: ['水波纹', '海水', '波浪', '水'] },
  { en: ['mountain'], zh: ['山'] },
  { en: ['rock'], zh: ['岩石', '石'] },
  { en: ['sun'], zh: ['太阳', '日'] },
  { en: ['moon'], zh: ['月亮', '月'] },
  { en: ['fire', 'flame'], zh: ['火焰纹', '火焰'] },
  { en: ['thunder', 'meander', 'key fret'], zh: ['雷纹', '回纹'] },
  { en: ['geometric'], zh: ['几何纹', '几何'] },
  { en: ['lattice'], zh: ['格子', '菱格', '方格'] },
  { en: ['pearl', 'roundel'], zh: ['联珠纹', '联珠', '团花'] },
  { en: ['swastika'], zh: ['万字纹', '卍'] },
  { en: ['coin'], zh: ['钱纹', '铜钱'] },
  { en: ['knot'], zh: ['盘长', '中国结'] },
  { en: ['longevity', 'shou'], zh: ['寿字', '寿'] },
  { en: ['happiness', 'fu'], zh: ['福字', '福'] },
  // Objects, materials and crafts
  { en: ['silk'], zh: ['丝绸', '丝'] },
  { en: ['brocade'], zh: ['织锦', '锦'] },
  { en: ['embroidery', 'embroidered'], zh: ['刺绣', '绣'] },
  { en: ['tapestry', 'kesi'], zh: ['缂丝'] },
  { en: ['damask', 'satin'], zh: ['缎'] },
  { en: ['robe'], zh: ['龙袍', '袍'] },
  { en: ['porcelain'], zh: ['瓷器', '瓷'] },
  { en: ['celadon'], zh: ['青瓷'] },
  { en: ['blue and white'], zh: ['青花'] },
  { en: ['bronze'], zh: ['青铜', '铜'] },
  { en: ['jade'], zh: ['玉器', '玉'] },
  { en: ['pottery', 'ceramic', 'earthenware'], zh: ['陶器', '陶'] },
  { en: ['lacquer'], zh: ['漆器', '漆'] },
  { en: ['stone', 'carving'], zh: ['石刻', '雕刻'] },
  { en: ['wood', 'wooden'], zh: ['木雕', '木'] },
  { en: ['gold'], zh: ['金'] },
  { en: ['silver'], zh: ['银'] },
  { en: ['mural', 'fresco'], zh: ['壁画'] },
  { en: ['vase'], zh: ['花瓶', '瓶'] },
  { en: ['bowl'], zh: ['碗'] },
  { en: ['plate', 'dish'], zh: ['盘'] },
  { en: ['jar', 'pot'], zh: ['罐'] },
  { en: ['mirror'], zh: ['铜镜', '镜'] },
  { en: ['tile', 'brick'], zh: ['瓦当', '砖'] },
  { en: ['pagoda'], zh: ['塔'] },
  { en: ['temple'], zh: ['寺'] },
  { en: ['museum'], zh: ['博物馆'] },
  // Dynasties and places, so "Tang dragon" and 唐代龙纹 meet
  { en: ['han'], zh: ['汉代', '汉朝'] },
  { en: ['tang'], zh: ['唐代', '唐朝', '唐'] },
  { en: ['song'], zh: ['宋代', '宋朝'] },
  { en: ['yuan'], zh: ['元代', '元朝'] },
  { en: ['ming'], zh: ['明代', '明朝'] },
  { en: ['qing'], zh: ['清代', '清朝'] },
  { en: ['shang'], zh: ['商代', '商朝'] },
  { en: ['zhou'], zh: ['周代', '周朝'] },
  { en: ['dunhuang'], zh: ['敦煌'] },
  // Colours
  { en: ['red'], zh: ['红色', '红'] },
  { en: ['blue'], zh: ['蓝色', '蓝'] },
  { en: ['green'], zh: ['绿色', '绿'] },
  { en: ['yellow'], zh: ['黄色', '黄'] },
  { en: ['white'], zh: ['白色', '白'] },
  { en: ['black'], zh: ['黑色', '黑'] },
];

/** The concepts whose English words include `word` (lower case). */
export function termsForEnglish(word: string): MotifTerm[] {
  const w = word.toLowerCase();
  return MOTIF_LEXICON.filter((t) => t.en.includes(w));
}

/** The concepts whose Chinese terms include `term` exactly. */
export function termsForChinese(term: string): MotifTerm[] {
  return MOTIF_LEXICON.filter((t) => t.zh.includes(term));
}
