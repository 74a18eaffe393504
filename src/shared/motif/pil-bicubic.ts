/**
 * PIL's bicubic resize (Pillow's libImaging/Resample.c), bit for bit, for 8-bit interleaved images.
 *
 * Why not sharp/libvips: Chinese-CLIP (and the studio's default motif pack) were trained on images
 * that PIL resized, and libvips' cubic kernel is a different filter with a different support rule
 * (no antialias widening when shrinking), so a 1000 px photo shrunk to 224 differs by tens of grey
 * levels on hard edges. The embedding follows. Pillow's rule is a separable convolution:
 *
 *   - the Keys cubic with a = -0.5, support 2;
 *   - when shrinking by `scale` = in/out, the kernel is stretched by `scale` (support 2 * scale), which
 *     is what antialiases;
 *   - output pixel x samples around centre (x + 0.5) * scale, taps from trunc(centre - support + 0.5)
 *     to trunc(centre + support + 0.5), weights normalised to sum 1;
 *   - weights in fixed point with 22 fraction bits, rounded half away from zero, accumulated from a
 *     half (1 << 21) and truncated, clamped to 0..255;
 *   - horizontal pass first, its result rounded to 8 bits, then the vertical pass.
 */

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);
const SUPPORT = 2;

export interface RgbImage {
  width: number;
  height: number;
  /** Interleaved channels, row-major. */
  channels: number;
  data: Uint8Array;
}

function bicubic(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

interface Coefficients {
  /** Taps per output pixel (the widest window). */
  ksize: number;
  /** First input index of each output pixel's window, and its length. */
  bounds: Int32Array;
  /** Fixed-point weights, ksize per output pixel. */
  weights: Int32Array;
}

function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = SUPPORT * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterscale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      k[x] = bicubic((x + xmin - center + 0.5) * ss);
      ww += k[x]!;
    }
    for (let x = 0; x < ksize; x++) {
      const w = x < xmax && ww !== 0 ? k[x]! / ww : 0;
      // C's (int) cast truncates toward zero after adding -0.5 / +0.5: rounding half away from zero.
      weights[xx * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, weights };
}

const clip8 = (acc: number): number => (acc >= ONE * 256 ? 255 : acc <= 0 ? 0 : Math.floor(acc / ONE));

/** One pass along x (horizontal) of every row. */
function horizontal(src: RgbImage, outWidth: number): RgbImage {
  const { width, height, channels, data } = src;
  const { ksize, bounds, weights } = coefficients(width, outWidth);
  const out = new Uint8Array(outWidth * height * channels);
  for (let y = 0; y < height; y++) {
    const row = y * width * channels;
    for (let xx = 0; xx < outWidth; xx++) {
      const xmin = bounds[xx * 2]!;
      const xmax = bounds[xx * 2 + 1]!;
      const kOff = xx * ksize;
      for (let c = 0; c < channels; c++) {
        let acc = HALF;
        for (let x = 0; x < xmax; x++) acc += data[row + (x + xmin) * channels + c]! * weights[kOff + x]!;
        out[(y * outWidth + xx) * channels + c] = clip8(acc);
      }
    }
  }
  return { width: outWidth, height, channels, data: out };
}

/** One pass along y (vertical) of every column. */
function vertical(src: RgbImage, outHeight: number): RgbImage {
  const { width, height, channels, data } = src;
  const { ksize, bounds, weights } = coefficients(height, outHeight);
  const out = new Uint8Array(width * outHeight * channels);
  const stride = width * channels;
  for (let yy = 0; yy < outHeight; yy++) {
    const ymin = bounds[yy * 2]!;
    const ymax = bounds[yy * 2 + 1]!;
    const kOff = yy * ksize;
    for (let i = 0; i < stride; i++) {
      let acc = HALF;
      for (let y = 0; y < ymax; y++) acc += data[(y + ymin) * stride + i]! * weights[kOff + y]!;
      out[yy * stride + i] = clip8(acc);
    }
  }
  return { width, height: outHeight, channels, data: out };
}

/** Image.resize((width, height), Image.BICUBIC) of Pillow, for 8-bit images without alpha. */
export function pilBicubicResize(src: RgbImage, width: number, height: number): RgbImage {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) throw new RangeError(`Cannot resize to ${width}x${height}.`);
  if (src.data.length !== src.width * src.height * src.channels) throw new RangeError('The pixel buffer does not match the image size.');
  // Pillow skips a pass whose size does not change, exactly as here.
  const h = src.width === width ? src : horizontal(src, width);
  return h.height === height ? h : vertical(h, height);
}

/** The pixels of box [left, top, right, bottom) (PIL's Image.crop within the image). */
export function cropRgb(src: RgbImage, box: readonly [number, number, number, number]): RgbImage {
  const [left, top, right, bottom] = box;
  if (!(left >= 0 && top >= 0 && right <= src.width && bottom <= src.height && right > left && bottom > top)) {
    throw new RangeError(`The box [${box.join(', ')}] is not inside a ${src.width}x${src.height} image.`);
  }
  const width = right - left;
  const height = bottom - top;
  const out = new Uint8Array(width * height * src.channels);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * src.width + left) * src.channels;
    out.set(src.data.subarray(from, from + width * src.channels), y * width * src.channels);
  }
  return { width, height, channels: src.channels, data: out };
}
