import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VerifyToken } from '../../src/auth/jwt';
import { ForbiddenError, ValidationError } from '../../src/errors';
import { readBody, type RouteHandler } from '../../src/http';
import { bearerAuthenticator, sendError, sendJson, sendMediaFile } from './media-http';
import type { GridService } from './service/grid-service';
import { MEDIA_LIMITS, MediaRejectedError, mediaPath, type MediaFile, type UploadedFile } from './service/media';

export const MEDIA_PATH = '/media';
const DOWNLOAD = /^\/media\/([0-9a-f-]{36})(\/thumbnail)?$/;

/** A file fetched with the token's scope check may be cached privately this long. */
const TOKEN_CACHE_SECONDS = 3600;

/**
 * Splits a multipart body with the platform's own parser (the WHATWG `Response.formData`), after
 * the body was read under the request size limit: no parser of ours, nothing unbounded.
 */
async function filesOf(body: Buffer, contentType: string): Promise<UploadedFile[]> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new ValidationError([{ path: 'body', message: 'not a well-formed multipart/form-data body' }]);
  }
  const files: UploadedFile[] = [];
  for (const [, value] of form) {
    if (typeof value === 'string') continue;
    if (files.length >= MEDIA_LIMITS.maxFilesPerRequest)
      throw new ValidationError([{ path: 'files', message: `at most ${MEDIA_LIMITS.maxFilesPerRequest} files per request` }]);
    files.push({ bytes: Buffer.from(await value.arrayBuffer()), fileName: value.name });
  }
  return files;
}

/**
 * `POST /media` (multipart, Bearer token): stores photos and short clips for the mobile app and
 * returns their ids for `recordGridPatrol`. `GET /media/<id>`: the file, either with a token (for
 * those who may see the patrol it belongs to, or who uploaded it; anyone else gets 404, so ids
 * reveal nothing) or with the signed URL a GraphQL field gave out (no header: `<img>`, `<video>`).
 * `GET /media/<id>/thumbnail`: a photo's thumbnail, to the same people, with its own signed URL.
 */
export function createMediaRoute(options: { verifyToken: VerifyToken; service: GridService; now: () => Date }): RouteHandler {
  const authenticate = bearerAuthenticator(options.verifyToken);

  const upload = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const contentType = request.headers['content-type'] ?? '';
    if (!/^multipart\/form-data;\s*boundary=/i.test(contentType)) {
      sendError(response, 415, 'UNSUPPORTED_MEDIA_TYPE', 'send multipart/form-data');
      return;
    }
    const viewer = await authenticate(request, response);
    if (!viewer) return;
    try {
      const body = await readBody(request, MEDIA_LIMITS.maxRequestBytes);
      const stored = await options.service.media.store(viewer, await filesOf(body, contentType));
      sendJson(response, 201, {
        media: stored.map((m) => ({
          id: m.id,
          url: `${MEDIA_PATH}/${m.id}`,
          sha256: m.sha256,
          contentType: m.contentType,
          size: m.size,
          fileName: m.fileName,
          duplicate: m.duplicate,
        })),
      });
    } catch (error) {
      if (error instanceof ValidationError)
        sendError(response, error instanceof MediaRejectedError ? error.status : 400, error.code, error.message, { problems: error.problems });
      else if (error instanceof ForbiddenError) sendError(response, 403, error.code, error.message);
      else throw error;
    }
  };

  /** The file itself, or for `/thumbnail` its thumbnail: asked for after the original's visibility was settled. */
  const send = async (request: IncomingMessage, response: ServerResponse, file: MediaFile, thumbnail: boolean, maxAgeSeconds: number): Promise<void> => {
    if (!thumbnail) {
      await sendMediaFile(request, response, file, maxAgeSeconds);
      return;
    }
    const outcome = await options.service.media.thumbnail(file);
    if (outcome.kind === 'file') await sendMediaFile(request, response, outcome.file, maxAgeSeconds);
    else if (outcome.kind === 'none')
      sendError(
        response,
        404,
        'NO_THUMBNAIL',
        `a ${file.media.contentType} file has no thumbnail: only photos (JPEG, PNG, WebP) have one; load the file itself`,
      );
    else
      sendError(
        response,
        422,
        'THUMBNAIL_FAILED',
        `no thumbnail could be made of this photo (${outcome.reason}); the file itself is still served at ${mediaPath(file.media.id)}`,
      );
  };

  const download = async (request: IncomingMessage, response: ServerResponse, url: URL, id: string, thumbnail: boolean): Promise<void> => {
    if (url.searchParams.has('signature') || url.searchParams.has('expires')) {
      const check = options.service.media.verifyUrl(url.pathname, url.searchParams.get('expires'), url.searchParams.get('signature'));
      if (!check.ok) {
        if (check.reason === 'expired')
          sendError(response, 403, 'MEDIA_URL_EXPIRED', `this link expired at ${check.expiresAt?.toISOString()}: query the record again for a fresh url`);
        else sendError(response, 403, 'MEDIA_URL_INVALID', 'this link’s signature does not match its file and expiry: use the url exactly as the hub gave it');
        return;
      }
      const file = await options.service.media.bySignedUrl(id);
      if (!file) sendError(response, 404, 'NOT_FOUND', 'no such media');
      else await send(request, response, file, thumbnail, (check.expiresAt.getTime() - options.now().getTime()) / 1000);
      return;
    }
    const viewer = await authenticate(request, response);
    if (!viewer) return;
    const file = await options.service.media.forDownload(viewer, id);
    if (!file) sendError(response, 404, 'NOT_FOUND', 'no such media');
    else await send(request, response, file, thumbnail, TOKEN_CACHE_SECONDS);
  };

  return async (request, response, url) => {
    const method = request.method ?? 'GET';
    if (url.pathname === MEDIA_PATH) {
      if (method !== 'POST') sendError(response, 405, 'METHOD_NOT_ALLOWED', 'POST a multipart/form-data body');
      else await upload(request, response);
      return true;
    }
    const match = DOWNLOAD.exec(url.pathname);
    if (!match) return false;
    if (method !== 'GET' && method !== 'HEAD') sendError(response, 405, 'METHOD_NOT_ALLOWED', 'GET the file');
    else await download(request, response, url, match[1] as string, match[2] !== undefined);
    return true;
  };
}
