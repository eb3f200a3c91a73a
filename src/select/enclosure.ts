/** Enclosures: an item's image as an absolute URL with a real MIME type and the file's byte length. */
import path from 'node:path';
import { warningAt, errorAt, type Diagnostic } from '../errors.js';
import { escapePath, toHttpUrl } from '../render/urls.js';
import type { Enclosure, ImageInfo, ImageRef, PostRef } from '../types.js';

/** IANA media types of image formats, by file extension (IANA "image" registry; RFC 2046, RFC 9512 aside). */
export const IMAGE_MIME_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.jpe': 'image/jpeg',
  '.jfif': 'image/jpeg',
  '.png': 'image/png',
  '.apng': 'image/apng',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.bmp': 'image/bmp',
  '.ico': 'image/vnd.microsoft.icon',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.jxl': 'image/jxl',
};

/** The MIME type for a path or URL by its extension, or `undefined` when it is not a known image type. */
export function imageMimeType(pathOrUrl: string): string | undefined {
  const pathname = pathOrUrl.replace(/[?#].*$/, '');
  return IMAGE_MIME_TYPES[path.posix.extname(pathname).toLowerCase()];
}

/** Site context for image URLs. */
export interface EnclosureContext {
  readonly url: string;
  readonly baseurl: string;
}

/** Turns a post's image into an enclosure, or explains (as a diagnostic) why there is none. */
export function toEnclosure(image: ImageRef, info: ImageInfo | undefined, site: EnclosureContext, displayPath: string): { enclosure?: Enclosure; diagnostic?: Diagnostic } {
  if (image.kind === 'remote') {
    const type = imageMimeType(image.url);
    if (type === undefined) {
      return { diagnostic: warningAt('IMAGE_MISSING', displayPath, `image: cannot tell the type of '${image.url}' from its name; published without an enclosure`, 'use a URL ending in .jpg, .png, .gif, .webp or .avif') };
    }
    // A remote length is unknown; RSS 2.0 requires the attribute, so the RSS writer uses 0 (RSS Best Practices).
    return { enclosure: { url: image.url, type } };
  }
  if (info === undefined || info.kind === 'missing') {
    return { diagnostic: warningAt('IMAGE_MISSING', displayPath, `image: content/${image.path} does not exist; published without an enclosure`, 'add the file under the content folder, or fix the path in `image:`') };
  }
  if (info.kind === 'escape') {
    return { diagnostic: errorAt('PATH_ESCAPE', displayPath, `image: '${image.path}' leads outside the content folder`, 'put the image inside the content folder; symbolic links out of it are not followed') };
  }
  const type = imageMimeType(image.path);
  if (type === undefined) {
    return { diagnostic: warningAt('IMAGE_MISSING', displayPath, `image: '${image.path}' is not a known image type; published without an enclosure`, 'use a .jpg, .png, .gif, .webp or .avif file') };
  }
  const url = toHttpUrl(`${site.url}${site.baseurl}/${escapePath(image.path)}`);
  if (url === undefined) return { diagnostic: warningAt('IMAGE_MISSING', displayPath, `image: cannot make a URL of '${image.path}'`, 'rename the image file') };
  return { enclosure: { url, type, length: info.length } };
}

/** The enclosure of every post that has an image (keyed by source path), with a diagnostic for each that cannot have one. */
export function toEnclosures(posts: readonly PostRef[], images: ReadonlyMap<string, ImageInfo>, site: EnclosureContext): { enclosures: Map<string, Enclosure>; diagnostics: Diagnostic[] } {
  const enclosures = new Map<string, Enclosure>();
  const diagnostics: Diagnostic[] = [];
  for (const post of posts) {
    if (post.image === undefined) continue;
    const result = toEnclosure(post.image, post.image.kind === 'local' ? images.get(post.image.path) : undefined, site, post.displayPath);
    if (result.diagnostic !== undefined) diagnostics.push(result.diagnostic);
    if (result.enclosure !== undefined) enclosures.set(post.sourcePath, result.enclosure);
  }
  return { enclosures, diagnostics };
}
