/** The photo formats the swatch library takes, as the file dialog filters them. */
export const SWATCH_PHOTO_TYPES = 'image/jpeg,image/png,image/webp,image/tiff';

/** A photo dropped on the import form or picked in the file dialog, ready to send as bytes. */
export interface PickedPhoto {
  name: string;
  bytesBase64: string;
  /** Pixel size when the browser can read it (not TIFF); a % crop needs it. */
  size: { width: number; height: number } | null;
}

/** Base64 of the bytes, in chunks so a large photo does not overflow the argument list. */
function toBase64(bytes: Uint8Array): string {
  let text = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) text += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(text);
}

async function pixelSize(file: File): Promise<PickedPhoto['size']> {
  try {
    const bitmap = await createImageBitmap(file);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    // TIFF and damaged files: main still checks and decodes them; only the % crop is unavailable.
    return null;
  }
}

export async function readPhotoFile(file: File): Promise<PickedPhoto> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { name: file.name, bytesBase64: toBase64(bytes), size: await pixelSize(file) };
}
