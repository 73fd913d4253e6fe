/** Decodes the QR code in a PNG screenshot, as a phone camera would read it off the projector. */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

export function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}
