import { CALLOUT_TEXT_PT, DEFAULT_SHEET_LANGUAGE, POM_LINE_PT, POM_TEXT_PT, sheetLabel, sheetWords, type ResolvedTechPack, type SheetLanguage } from '../../../shared/techpack';
import type { SheetSet } from './display';
import { fitBox } from './display';
import { drawFlatView, motifArtRefs } from './flat-svg';
import { textWidth, type SheetFonts } from './font';
import { BAND, MARGIN, MUTED, RULE, SheetBuilder, type Column, type TableRow } from './layout';

const STITCH_LABELS: Record<string, string> = {
  topstitch: 'Topstitch 明线',
  doubleNeedle: 'Double needle 双针',
  coverstitch: 'Coverstitch 绷缝',
  zigzag: 'Zigzag 之字线',
};
const STITCH_DASH: Record<string, number[] | null> = { topstitch: [2, 1.5], doubleNeedle: [2, 1.5], coverstitch: [2, 1.5], zigzag: null };
const TRIM_LABELS: Record<string, string> = {
  button: 'Button 纽扣',
  zipper: 'Zipper 拉链',
  rivet: 'Rivet 铆钉',
  label: 'Label 商标',
  snap: 'Snap 按扣',
  eyelet: 'Eyelet 气眼',
};
const STATUS_LABELS: Record<string, string> = {
  draft: 'Draft 草稿',
  proto: 'Proto 初样',
  sample: 'Sample 样衣',
  'pre-production': 'Pre-production 产前样',
  production: 'Production 大货',
};


/** Lays out every sheet of a resolved tech pack, in a fixed order. Pure: same input, same list. */
export function layoutTechPack(
  tp: ResolvedTechPack,
  fonts: SheetFonts,
  lang: SheetLanguage = DEFAULT_SHEET_LANGUAGE,
): { set: SheetSet; issues: SheetBuilder['issues'] } {
  const W = sheetWords(lang);
  const c = tp.cover;
  const date = tp.revisedAt.slice(0, 10);
  const b = new SheetBuilder(fonts, tp.paper, {
    left: [c.brand, c.styleNumber, c.name].filter(Boolean).join(' · ') || tp.projectName,
    right: [c.season, `${short('Rev', '版本', lang)} ${tp.revision}`, date].filter(Boolean).join(' · '),
  });
  coverSheet(b, tp, lang);
  flatsSheet(b, tp, lang);
  rendersSheet(b, tp, lang);
  bomSheet(b, tp, lang);
  colorwaysSheet(b, tp, lang);
  pomSheet(b, tp, lang);
  notesSheet(b, tp, lang);
  revisionSheet(b, tp, lang);
  const set = b.finish(`${c.styleNumber || tp.projectName} · ${short('Revision', '版本', lang)} ${tp.revision} · ${W(STATUS_LABELS[c.status] ?? c.status)} · ${date}`);
  return { set, issues: b.issues };
}

/** A short field (the running header's revision, an unknown source): one language, Chinese when the sheets lead with it. */
function short(en: string, zh: string, lang: SheetLanguage): string {
  return lang === 'zh' || lang === 'zh+en' ? zh : en;
}

/** The POM sheet's unit line, one line at 7.5 pt: the default keeps its mixed line; Chinese first prints the Chinese one. */
function pomUnitLine(en: string, zh: string, bilingual: string, lang: SheetLanguage): string {
  return lang === 'en+zh' ? bilingual : lang === 'en' ? en : zh;
}

/** Cover fields the studio writes, not the technician: nothing in the form could shorten them. */
const GENERATED_COVER_FIELDS = new Set(['revision', 'status']);

function coverSheet(b: SheetBuilder, tp: ResolvedTechPack, lang: SheetLanguage): void {
  const W = sheetWords(lang);
  const c = tp.cover;
  b.page(W('Cover 封面'));
  const x = MARGIN + 20;
  const w = b.contentWidth - 40;
  let y = b.contentTop + 20;
  b.text(W('TECH PACK 工艺单'), x, y, 10, { colour: MUTED });
  y += 18;
  b.text(c.name || tp.projectName, x, y, 26, { bold: true, width: w, target: { section: 'cover', itemId: 'name', label: 'Style name' } });
  y += 40;
  b.text(c.styleNumber, x, y, 16, { width: w, target: { section: 'cover', itemId: 'styleNumber', label: 'Style number' } });
  y += 40;
  const col = (w - 60) / 4;
  const fields: [string, string, string][] = [
    ['Style number 款号', c.styleNumber, 'styleNumber'],
    ['Season 季节', c.season, 'season'],
    ['Brand 品牌', c.brand, 'brand'],
    ['Designer 设计师', c.designer, 'designer'],
    ['Created 创建日期', c.createdDate ?? '', 'createdDate'],
    ['Due 交期', c.dueDate ?? '', 'dueDate'],
    ['Revision 版本', `${tp.revision} (${tp.revisedAt.slice(0, 10)})`, 'revision'],
    ['Status 状态', W(STATUS_LABELS[c.status] ?? c.status), 'status'],
  ];
  fields.forEach(([label, value, id], i) => {
    const fx = x + (i % 4) * (col + 20);
    const fy = y + Math.floor(i / 4) * 48;
    b.field(W(label), value, fx, fy, col, { section: 'cover', itemId: id, label }, GENERATED_COVER_FIELDS.has(id) ? 'ellipsis' : 'error');
  });
  y += 2 * 48 + 16;
  // The first render of the first colorway, if any, as the cover picture.
  const hero = tp.colorways.find((cw) => cw.renders.length)?.renders[0];
  const room = b.contentBottom - y - 10;
  if (hero && room > 60) {
    const [ix, iy, iw, ih] = fitBox(x, y, w / 2, room, hero.width, hero.height);
    b.image(hero.sha256, ix - (w / 2 - iw) / 2, iy, iw, ih);
  }
  // Each language on its own line, in the sheet language's order: the counts do not read as one sentence in both.
  const en = [
    `${tp.flats.length} flat(s) · ${tp.colorways.length} colorway(s) · ${tp.bom.length} BOM row(s) · ${tp.pom.rows.length} point(s) of measure`,
    `Sizes: ${tp.pom.sizes.join(' / ')} (base ${tp.pom.baseSize}) · unit ${tp.pom.unit}`,
  ];
  const zh = [
    `款式图 ${tp.flats.length} 张 · 配色 ${tp.colorways.length} 个 · 物料 ${tp.bom.length} 行 · 测量点 ${tp.pom.rows.length} 个`,
    `尺码：${tp.pom.sizes.join(' / ')}（基码 ${tp.pom.baseSize}）· 单位 ${tp.pom.unit}`,
  ];
  // The default keeps the lines it always printed, so a re-export of an old revision reads as its stored PDF.
  const bilingual = [en[0]!, `Sizes 尺码: ${tp.pom.sizes.join(' / ')} (base ${tp.pom.baseSize}) · unit ${tp.pom.unit}`];
  const summary = lang === 'en' ? en : lang === 'zh' ? zh : lang === 'zh+en' ? [...zh, ...en] : bilingual;
  summary.forEach((s, i) => b.text(s, x + w / 2 + 20, y + i * 14, 8, { colour: MUTED }));
}

function flatsSheet(b: SheetBuilder, tp: ResolvedTechPack, lang: SheetLanguage): void {
  const W = sheetWords(lang);
  // Prints and motif fills show their artwork (the motif images the pack already carries).
  const art = motifArtRefs(tp.motifs);
  for (const flat of tp.flats) {
    b.page(`${W('Flats 款式图')} — ${flat.name}`);
    const legendW = 170;
    const areaW = b.contentWidth - legendW - 16;
    const top = b.contentTop;
    const h = b.contentBottom - top - 4;
    const views = (['front', 'back'] as const).map((v) => ({ v, d: drawFlatView(flat.document, v, art) })).filter((x) => x.d);
    const boxW = (areaW - 12 * (views.length - 1)) / Math.max(views.length, 1);
    const stitches = new Set<string>();
    const trims = new Map<string, number>();
    const callouts: { id: string; text: string }[] = [];
    views.forEach(({ v, d }, i) => {
      const x = MARGIN + i * (boxW + 12);
      b.rect(x, top, boxW, h, null, RULE, 0.5);
      b.text(v === 'front' ? W('FRONT 正面') : W('BACK 背面'), x + 6, top + 5, 8, { bold: true, colour: MUTED });
      const [vx, vy, vw, vh] = d!.viewBox;
      const [fx, fy, fw, fh] = fitBox(x + 10, top + 20, boxW - 20, h - 30, vw, vh);
      b.flat(d!.svg, [vx, vy, vw, vh], fx, fy, fw, fh);
      const scale = fw / vw;
      const onSheet = (p: { x: number; y: number }) => ({ x: fx + (p.x - vx) * scale, y: fy + (p.y - vy) * scale });
      for (const pom of d!.poms) pomMark(b, pom.label, onSheet(pom.from), onSheet(pom.to), x, boxW);
      for (const co of d!.callouts) calloutText(b, co.text, fx + (co.at.x - vx) * scale, fy + (co.at.y - vy) * scale, x, boxW);
      d!.stitches.forEach((s) => stitches.add(s));
      d!.trims.forEach((n, t) => trims.set(t, (trims.get(t) ?? 0) + n));
      callouts.push(...d!.callouts);
    });
    // Legend column.
    const lx = MARGIN + areaW + 16;
    let y = top;
    b.rect(lx, top, legendW, h, null, RULE, 0.5);
    const heading = (t: string) => {
      b.rect(lx, y, legendW, 16, BAND, null);
      b.text(t, lx + 6, y + 4, 8, { bold: true });
      y += 22;
    };
    heading(W('Stitch legend 线迹'));
    const none = () => {
      b.text('—', lx + 8, y, 7.5, { colour: MUTED });
      y += 12;
    };
    if (stitches.size === 0) none();
    for (const s of stitches) {
      b.line(lx + 8, y + 4, lx + 38, y + 4, 0.8, '#000000', STITCH_DASH[s] ?? null);
      if (s === 'doubleNeedle' || s === 'coverstitch') b.line(lx + 8, y + 7, lx + 38, y + 7, 0.8, '#000000', STITCH_DASH[s] ?? null);
      b.text(W(STITCH_LABELS[s] ?? s), lx + 44, y, 7.5);
      y += 14;
    }
    y += 6;
    heading(W('Trims 辅料'));
    if (trims.size === 0) none();
    for (const [t, n] of trims) {
      b.text(W(TRIM_LABELS[t] ?? t), lx + 8, y, 7.5);
      b.text(`× ${n}`, lx + legendW - 8, y, 7.5, { align: 'right' });
      y += 13;
    }
    y += 6;
    heading(W('Callouts 标注'));
    if (callouts.length === 0) none();
    // Callouts are written on the drawing itself; the legend repeats what room allows and says how many it left out.
    const bottom = top + h - 12;
    for (const [i, co] of callouts.entries()) {
      const text = `${i + 1}. ${co.text}`;
      const lines = { maxLines: 4, whenLong: 'ellipsis' as const };
      if (y + b.paragraphHeight(text, legendW - 16, 7, lines) > bottom) {
        b.text(sheetLabel(`+ ${callouts.length - i} more`, `另有 ${callouts.length - i} 条`, lang), lx + 8, y, 7, { colour: MUTED });
        break;
      }
      y += b.paragraph(text, lx + 8, y, legendW - 16, 7, { target: { section: 'flats', itemId: co.id, label: 'Callout' }, ...lines });
      y += 3;
    }
  }
}

/**
 * A callout's words in points at its anchor (the text's baseline start, mapped from the drawing):
 * moved left when they would run out of the view's frame, cut with an ellipsis when wider than it.
 */
function calloutText(b: SheetBuilder, text: string, ax: number, baseline: number, frameX: number, frameW: number): void {
  const size = CALLOUT_TEXT_PT;
  const face = b.fonts.regular;
  const inner = frameW - 8;
  const w = Math.min(textWidth(face, text, size), inner);
  const left = Math.max(frameX + 4, Math.min(ax, frameX + frameW - 4 - w));
  b.text(text, left, baseline - face.ascent * size, size, { width: inner, whenLong: 'ellipsis' });
}

const POM_COLOUR = '#d0021b';

/**
 * A point of measure on the drawing in print units: a dashed dimension line between its ends and its
 * label beside the middle (above a line that runs across, right of one that runs down, so the line
 * does not strike through it), kept inside the view's frame.
 */
function pomMark(b: SheetBuilder, label: string, from: { x: number; y: number }, to: { x: number; y: number }, frameX: number, frameW: number): void {
  b.line(from.x, from.y, to.x, to.y, POM_LINE_PT, POM_COLOUR, [3, 2]);
  const size = POM_TEXT_PT;
  const inner = frameW - 8;
  const w = Math.min(textWidth(b.fonts.regular, label, size), inner);
  const mid = { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 };
  const across = Math.abs(to.x - from.x) >= Math.abs(to.y - from.y);
  const [x, top] = across ? [mid.x - w / 2, mid.y - size * 1.4] : [mid.x + size * 0.6, mid.y - size / 2];
  const left = Math.max(frameX + 4, Math.min(x, frameX + frameW - 4 - w));
  b.text(label, left, top, size, { colour: POM_COLOUR, width: inner, whenLong: 'ellipsis' });
}

function renderSettings(r: ResolvedTechPack['colorways'][number]['renders'][number]): string {
  const s = r.settings;
  const swatch = s.swatch ? ` · swatch ${s.swatch.name}` : '';
  return `${s.variant} · α ${s.alpha.toFixed(2)} · seed ${s.seed} · ${s.steps} steps · ${s.scheduler} · ${s.packId} ${s.packVersion} · ${s.provider} · ${r.width}×${r.height}${swatch}`;
}

function rendersSheet(b: SheetBuilder, tp: ResolvedTechPack, lang: SheetLanguage): void {
  const W = sheetWords(lang);
  // One grid across colorways (each cell labelled with its colorway) so two colorways share a sheet.
  const cells = tp.colorways.flatMap((cw) => cw.renders.map((r) => ({ cw, r })));
  if (cells.length === 0) return;
  b.page(W('Renders 效果图'));
  const cols = 4;
  const gap = 12;
  const cellW = (b.contentWidth - gap * (cols - 1)) / cols;
  const imgH = Math.min(cellW * 1.15, b.contentBottom - b.contentTop - 100);
  const cellH = 14 + imgH + 62;
  cells.forEach(({ cw, r }, i) => {
    const col = i % cols;
    if (col === 0 && i > 0) b.y += cellH + 8;
    if (col === 0) b.ensure(cellH);
    const x = MARGIN + col * (cellW + gap);
    b.text(`${cw.name}${cw.code ? ` (${cw.code})` : ''}`, x, b.y, 9, { bold: true, width: cellW, target: { section: 'colorways', itemId: cw.id, label: 'Colorway name' } });
    const y0 = b.y + 14;
    b.rect(x, y0, cellW, imgH, '#ffffff');
    const [ix, iy, iw, ih] = fitBox(x, y0, cellW, imgH, r.width, r.height);
    b.image(r.sha256, ix, iy, iw, ih);
    let ty = y0 + imgH + 4;
    // Settings and prompt are the generation's record, not the pack's to shorten: shown as far as room allows.
    ty += b.paragraph(renderSettings(r), x, ty, cellW, 5.5, {
      target: { section: 'renders', itemId: r.generationId, label: 'Render settings' },
      maxLines: 3,
      colour: MUTED,
      whenLong: 'ellipsis',
    });
    b.paragraph(`Prompt: ${r.settings.prompt}`, x, ty, cellW, 5.5, {
      target: { section: 'renders', itemId: r.generationId, label: 'Render prompt' },
      maxLines: 5,
      colour: MUTED,
      whenLong: 'ellipsis',
    });
  });
}

function bomSheet(b: SheetBuilder, tp: ResolvedTechPack, lang: SheetLanguage): void {
  const W = sheetWords(lang);
  b.page(W('Bill of Materials 物料清单'));
  const w = b.contentWidth;
  const columns: Column[] = [
    { title: '#', width: 18, align: 'right' },
    { title: W('Material 物料'), width: w * 0.14 },
    { title: W('Fibre content 成分'), width: w * 0.13 },
    { title: W('Construction 组织'), width: w * 0.1 },
    { title: W('Weight 克重'), width: w * 0.07 },
    { title: W('Colour 颜色'), width: w * 0.11 },
    { title: W('Supplier 供应商'), width: w * 0.11 },
    { title: W('Reference 编号'), width: w * 0.09 },
    { title: W('Placement 部位'), width: w * 0.14 },
    { title: W('Qty 用量'), width: 0 },
  ];
  columns[columns.length - 1]!.width = w - columns.reduce((n, c) => n + c.width, 0);
  const rows: TableRow[] = tp.bom.map((r, i) => ({
    cells: [String(i + 1), r.material, r.fibreContent, r.construction, r.weight, r.colourName || (r.colourHex ?? ''), r.supplier, r.reference, r.placement, r.quantity],
    target: { section: 'bom', itemId: r.id, label: `BOM row ${i + 1}` },
    bold: [false, true],
    ...(r.colourHex ? { chip: { cell: 5, hex: r.colourHex } } : {}),
  }));
  b.table(columns, rows);
}

function colorwaysSheet(b: SheetBuilder, tp: ResolvedTechPack, lang: SheetLanguage): void {
  const W = sheetWords(lang);
  if (tp.colorways.length === 0) return;
  b.page(W('Colorways 配色'));
  const cols = Math.min(4, Math.max(tp.colorways.length, 2));
  const gap = 14;
  const cardW = (b.contentWidth - gap * (cols - 1)) / cols;
  const imgH = Math.min(cardW, 190);
  tp.colorways.forEach((cw, i) => {
    const col = i % cols;
    const chipsH = cw.colours.length * 13;
    const cardH = 20 + imgH + 8 + chipsH + 6;
    if (col === 0) b.ensure(cardH);
    const x = MARGIN + col * (cardW + gap);
    const y = b.y;
    b.rect(x, y, cardW, cardH, null);
    b.rect(x, y, cardW, 18, BAND, null);
    b.text(`${cw.name}${cw.code ? ` · ${cw.code}` : ''}`, x + 6, y + 4, 8.5, { bold: true, width: cardW - 12, target: { section: 'colorways', itemId: cw.id, label: 'Colorway name' } });
    const r = cw.renders[0];
    if (r) {
      const [ix, iy, iw, ih] = fitBox(x + 6, y + 22, cardW - 12, imgH, r.width, r.height);
      b.image(r.sha256, ix, iy, iw, ih);
    } else {
      b.rect(x + 6, y + 22, cardW - 12, imgH, '#fafafa');
      b.text(W('No render 无效果图'), x + cardW / 2, y + 22 + imgH / 2 - 4, 8, { colour: MUTED, align: 'center' });
    }
    let cy = y + 22 + imgH + 8;
    for (const k of cw.colours) {
      b.rect(x + 6, cy, 9, 9, k.hex, '#808080', 0.3);
      // The form has no place to edit a colour's words; the chip and the hex carry the colour anyway.
      b.text(`${k.placement}: ${k.name} ${k.hex.toUpperCase()}`, x + 20, cy + 1, 7, { width: cardW - 26, whenLong: 'ellipsis' });
      cy += 13;
    }
    if (col === cols - 1 || i === tp.colorways.length - 1) b.y += cardH + gap;
  });
}

function pomSheet(b: SheetBuilder, tp: ResolvedTechPack, lang: SheetLanguage): void {
  const W = sheetWords(lang);
  b.page(W('Points of Measure 尺寸表'));
  const { unit, sizes, baseSize } = tp.pom;
  b.text(
    pomUnitLine(
      `All measurements in ${unit === 'cm' ? 'centimetres (cm), to 0.1 cm' : 'inches (in), to 1/8 in'} · base size ${baseSize} · graded exactly, rounded only for print (1 in = 2.54 cm)`,
      `单位 ${unit}（精确到 ${unit === 'cm' ? '0.1 cm' : '1/8 in'}）· 基码 ${baseSize} · 按档差精确推码，仅打印时取整（1 in = 2.54 cm）`,
      `All measurements in ${unit === 'cm' ? 'centimetres (cm), to 0.1 cm' : 'inches (in), to 1/8 in'} · 单位 ${unit} · base size 基码 ${baseSize} · graded exactly, rounded only for print (1 in = 2.54 cm)`,
      lang,
    ),
    MARGIN,
    b.y,
    7.5,
    { colour: MUTED },
  );
  b.y += 14;
  const w = b.contentWidth;
  const sizeW = Math.min(52, (w * 0.55) / sizes.length);
  const fixed: Column[] = [
    { title: W('Code 代码'), width: 60 },
    { title: W('Description 描述'), width: 0 },
    { title: W('Tol. ± 公差'), width: 48, align: 'right' },
  ];
  fixed[1]!.width = w - 60 - 48 - sizeW * sizes.length;
  const columns: Column[] = [...fixed, ...sizes.map((s) => ({ title: s === baseSize ? `${s} *` : s, width: sizeW, align: 'right' as const }))];
  const baseIndex = sizes.indexOf(baseSize);
  const rows: TableRow[] = tp.pom.rows.map((r) => ({
    cells: [r.code, r.description, r.printedTolerance ?? '', ...(r.printedValues ?? sizes.map(() => '—'))],
    target: { section: 'pom', itemId: r.id, label: `POM ${r.code}` },
    bold: [true, false, false, ...sizes.map((_, i) => i === baseIndex)],
  }));
  b.table(columns, rows, 8);
  b.y += 6;
  b.text(W('* base size 基码'), MARGIN, b.y, 7, { colour: MUTED });
}

function notesSheet(b: SheetBuilder, tp: ResolvedTechPack, lang: SheetLanguage): void {
  const W = sheetWords(lang);
  if (tp.constructionNotes.length === 0 && tp.motifs.length === 0) return;
  b.page(W('Construction & Motifs 工艺说明与纹样'));
  const w = b.contentWidth;
  if (tp.constructionNotes.length) {
    b.text(W('Construction notes 工艺说明'), MARGIN, b.y, 10, { bold: true });
    b.y += 18;
    tp.constructionNotes.forEach((n, i) => {
      b.ensure(30);
      b.text(`${i + 1}. ${n.title}`, MARGIN, b.y, 8.5, { bold: true, width: w, target: { section: 'construction', itemId: n.id, label: 'Note title' } });
      b.y += 13;
      b.y += b.paragraph(n.text, MARGIN + 12, b.y, w - 12, 8, { target: { section: 'construction', itemId: n.id, label: 'Construction note' }, maxLines: 30 });
      b.y += 8;
    });
  }
  if (tp.motifs.length) {
    b.ensure(80);
    b.y += 6;
    b.text(W('Motif references 纹样来源'), MARGIN, b.y, 10, { bold: true });
    b.y += 18;
    for (const m of tp.motifs) motifCredit(b, m, w, lang);
  }
}

const MOTIF_THUMB = 46;
/** Lines a motif's caption, source, licence and placement may take; museum texts run to paragraphs. */
const MOTIF_LINES = { caption: 3, source: 2, licence: 2, placement: 2 } as const;

/**
 * One motif's credit: thumbnail, caption, source, licence and where it is used. A library caption
 * can be a museum's whole label, so each text wraps and is cut with an ellipsis when longer than its
 * lines, never refusing the export; a cut caption is a warning that points to the motif in the form,
 * where the technician can write the caption the pack prints (the library keeps its full text).
 */
function motifCredit(b: SheetBuilder, m: ResolvedTechPack['motifs'][number], w: number, lang: SheetLanguage): void {
  const W = sheetWords(lang);
  const tw = w - MOTIF_THUMB - 10;
  const caption = m.caption ?? ([m.captionZh, m.captionEn].filter(Boolean).join(' · ') || m.id);
  const lines: [string, number, boolean, number][] = [
    [caption, 8.5, true, MOTIF_LINES.caption],
    [`${W('Source 来源')}: ${m.source ?? short('unknown', '不详', lang)}`, 7.5, false, MOTIF_LINES.source],
    [`${W('Licence 许可')}: ${m.licence ?? short('unknown', '不详', lang)}`, 7.5, false, MOTIF_LINES.licence],
    ...(m.placement ? [[`${W('Placement 部位')}: ${m.placement}`, 7.5, false, MOTIF_LINES.placement] as [string, number, boolean, number]] : []),
  ];
  const gap = 1.5;
  const height = lines.reduce((n, [text, size, bold, maxLines]) => n + b.paragraphHeight(text, tw, size, { maxLines, bold }) + gap, 0);
  b.ensure(Math.max(MOTIF_THUMB, height) + 8);
  const y0 = b.y;
  if (m.imageSha256) b.image(m.imageSha256, MARGIN, y0, MOTIF_THUMB, MOTIF_THUMB, true);
  else b.rect(MARGIN, y0, MOTIF_THUMB, MOTIF_THUMB, '#fafafa');
  const tx = MARGIN + MOTIF_THUMB + 10;
  const captionTarget = { section: 'motifs' as const, itemId: m.id, label: 'Motif caption', hint: 'Write the caption to print under Motifs.' };
  let y = y0;
  lines.forEach(([text, size, bold, maxLines], i) => {
    const whenLong = i === 0 ? 'warn' : 'ellipsis';
    y += b.paragraph(text, tx, y, tw, size, { target: captionTarget, maxLines, bold, whenLong }) + gap;
  });
  b.y = y0 + Math.max(MOTIF_THUMB, y - y0) + 8;
}

function revisionSheet(b: SheetBuilder, tp: ResolvedTechPack, lang: SheetLanguage): void {
  const W = sheetWords(lang);
  b.page(W('Revision Log 修改记录'));
  const w = b.contentWidth;
  b.table(
    [
      { title: W('Rev 版本'), width: 50, align: 'right' },
      { title: W('Date 日期'), width: 90 },
      { title: W('Change 修改内容'), width: w - 140 },
    ],
    [...tp.revisionLog].reverse().map((e) => ({
      cells: [String(e.revision), e.date.slice(0, 10), e.note || '—'],
      target: { section: 'revisions', itemId: String(e.revision), label: `Revision ${e.revision} note` },
    })),
    8,
  );
}
