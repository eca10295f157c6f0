/**
 * The type of an uploaded file from its first bytes: the name and the declared content type are
 * whatever the client says, the content is what will be served back.
 */

export const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'video/mp4', 'video/quicktime'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

const PHOTO_TYPES: ReadonlySet<string> = new Set<MediaType>(['image/jpeg', 'image/png', 'image/webp']);

/** Whether a file is a photo, and so has a thumbnail; videos have none. */
export const hasThumbnail = (media: { contentType: string }): boolean => PHOTO_TYPES.has(media.contentType);

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** ISO base media brands of MP4 video (not audio-only M4A, not HEIC/AVIF stills). */
const MP4_BRANDS = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'mp41',
  'mp42',
  'avc1',
  'M4V ',
  'M4VH',
  'M4VP',
  'mmp4',
  'MSNV',
  'dash',
  'f4v ',
  '3gp4',
  '3gp5',
  '3gp6',
]);

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  return prefix.every((byte, index) => bytes[offset + index] === byte);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return bytes.length >= to ? String.fromCharCode(...bytes.subarray(from, to)) : '';
}

/** The media type the bytes are, or undefined when they are none of the accepted kinds. */
export function sniffMediaType(bytes: Uint8Array): MediaType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, PNG)) return 'image/png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12);
    if (brand === 'qt  ') return 'video/quicktime';
    if (MP4_BRANDS.has(brand)) return 'video/mp4';
  }
  return undefined;
}

/** A file name fit to store and to put in a Content-Disposition header. */
export function cleanFileName(name: string | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 200);
  return cleaned.length > 0 ? cleaned : null;
}
