/**
 * The rulers along the canvas edges: where their ticks go and how they are painted. They read in cm
 * of the garment, at the flat's calibrated scale (units.mmPerUnit), never in drawing units: a flat
 * drawn on a px page and calibrated to a 118 cm body length reads 0 to 118 down its side.
 */

export const RULER_PX = 18;
/** Labelled ticks stand at least this far apart on screen. */
const MIN_MAJOR_PX = 64;
const STEPS = [1, 2, 5];

export interface RulerTick {
  /** Screen position along the ruler, in CSS pixels. */
  px: number;
  /** The ruler's reading at the tick: cm when `pxPerStep` is screen px per cm. */
  value: number;
  major: boolean;
}

/**
 * Ticks for a ruler `length` px long whose reading at screen position s is (s - offset) / zoom (zoom:
 * screen px per unit read): majors on a 1-2-5 step at least MIN_MAJOR_PX apart, five minors between.
 */
export function rulerTicks(zoom: number, offset: number, length: number): RulerTick[] {
  if (!(zoom > 0) || !Number.isFinite(offset) || length <= 0) return [];
  let major = Number.NaN;
  for (let decade = 1e-3; decade < 1e7 && Number.isNaN(major); decade *= 10) {
    const step = STEPS.find((st) => st * decade * zoom >= MIN_MAJOR_PX);
    if (step !== undefined) major = step * decade;
  }
  if (Number.isNaN(major)) return [];
  const minor = major / 5;
  const from = Math.floor(-offset / zoom / minor);
  const to = Math.ceil((length - offset) / zoom / minor);
  const ticks: RulerTick[] = [];
  for (let k = from; k <= to; k++) {
    const value = k * minor;
    ticks.push({ px: value * zoom + offset, value: +value.toFixed(6), major: k % 5 === 0 });
  }
  return ticks;
}

/**
 * Screen px per cm of garment along one axis: the viewport's px per document unit times the
 * document units in a cm (10 / mmPerUnit), so the flat's calibration sets what the ruler reads.
 */
export function pxPerCm(zoom: number, mmPerUnit: number): number {
  return (zoom * 10) / mmPerUnit;
}

/**
 * Paints one ruler in cm; `vertical` is the left ruler, whose labels run down its side. `pxPerCm` is
 * screen px per cm of garment (see pxPerCm). Its labelled ticks ride on the canvas as data ("px:cm"),
 * so a test reads what the technician reads.
 */
export function paintRuler(canvas: HTMLCanvasElement, vertical: boolean, pxPerCm: number, offset: number): void {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#f4f5f8';
  ctx.fillRect(0, 0, w, h);
  const length = vertical ? h : w;
  const depth = vertical ? w : h;
  ctx.strokeStyle = '#9aa0ad';
  ctx.lineWidth = 1;
  ctx.beginPath();
  const ticks = rulerTicks(pxPerCm, offset, length);
  canvas.dataset.unit = 'cm';
  canvas.dataset.majors = ticks
    .filter((t) => t.major)
    .map((t) => `${+t.px.toFixed(2)}:${t.value}`)
    .join(' ');
  for (const t of ticks) {
    const at = Math.round(t.px) + 0.5;
    const size = t.major ? depth : depth * 0.3;
    if (vertical) {
      ctx.moveTo(depth - size, at);
      ctx.lineTo(depth, at);
    } else {
      ctx.moveTo(at, depth - size);
      ctx.lineTo(at, depth);
    }
  }
  // The edge the ruler shares with the canvas.
  if (vertical) {
    ctx.moveTo(w - 0.5, 0);
    ctx.lineTo(w - 0.5, h);
  } else {
    ctx.moveTo(0, h - 0.5);
    ctx.lineTo(w, h - 0.5);
  }
  ctx.stroke();
  ctx.fillStyle = '#575b66';
  ctx.font = '9px Inter, system-ui, sans-serif';
  for (const t of ticks) {
    if (!t.major) continue;
    const label = String(t.value);
    if (vertical) {
      ctx.save();
      ctx.translate(9, t.px + 2);
      ctx.rotate(-Math.PI / 2);
      ctx.fillText(label, -ctx.measureText(label).width, 0);
      ctx.restore();
    } else {
      ctx.fillText(label, t.px + 2, 9);
    }
  }
}
