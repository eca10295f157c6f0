import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthenticationError, type VerifyToken } from '../../src/auth/jwt';
import type { Viewer } from '../../src/auth/viewer';
import { bearerToken } from '../../src/graphql/context';
import { ForbiddenError, ValidationError } from '../../src/graphql/errors';
import { readBody, type RouteHandler } from '../../src/http';
import type { GridService } from './service/grid-service';
import { MEDIA_LIMITS, MediaRejectedError, type UploadedFile } from './service/media';

export const MEDIA_PATH = '/media';
const DOWNLOAD = /^\/media\/([0-9a-f-]{36})$/;

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  sendJson(response, status, { errors: [{ message, extensions: { code, ...extra } }] });
}


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
    if (files.length >= MEDIA_LIMITS.maxFilesPerRequest) throw new ValidationError([{ path: 'files', message: `at most ${MEDIA_LIMITS.maxFilesPerRequest} files per request` }]);
    files.push({ bytes: Buffer.from(await value.arrayBuffer()), fileName: value.name });
  }
  return files;
}

/**
 * `POST /media` (multipart, Bearer token): stores photos and videos for the mobile app and returns
 * their ids for `recordGridPatrol`. `GET /media/<id>`: the file, for those who may see the patrol
 * it belongs to (or who uploaded it); anyone else gets 404, so ids reveal nothing.
 */
export function createMediaRoute(options: { verifyToken: VerifyToken; service: GridService }): RouteHandler {
  const authenticate = async (request: IncomingMessage, response: ServerResponse): Promise<Viewer | undefined> => {
    try {
      const viewer = await options.verifyToken(bearerToken(request.headers.authorization));
      if (viewer.subject !== undefined) return viewer;
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      sendError(response, 401, 'UNAUTHENTICATED', error.message);
      return undefined;
    }
    sendError(response, 401, 'UNAUTHENTICATED', 'a Bearer token is required');
    return undefined;
  };

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
        media: stored.map((m) => ({ id: m.id, url: `${MEDIA_PATH}/${m.id}`, sha256: m.sha256, contentType: m.contentType, size: m.size, fileName: m.fileName, duplicate: m.duplicate })),
      });
    } catch (error) {
      if (error instanceof ValidationError) sendError(response, error instanceof MediaRejectedError ? error.status : 400, error.code, error.message, { problems: error.problems });
      else if (error instanceof ForbiddenError) sendError(response, 403, error.code, error.message);
      else throw error;
    }
  };

  const download = async (request: IncomingMessage, response: ServerResponse, id: string): Promise<void> => {
    const viewer = await authenticate(request, response);
    if (!viewer) return;
    const found = await options.service.media.forDownload(viewer, id);
    if (!found) {
      sendError(response, 404, 'NOT_FOUND', 'no such media');
      return;
    }
    const etag = `"${found.media.sha256}"`;
    const headers: Record<string, string> = {
      'content-type': found.media.contentType,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
      'cache-control': 'private, max-age=86400',
      etag,
      'content-disposition': `inline; filename="${found.media.id}"${found.media.fileName ? `; filename*=UTF-8''${encodeURIComponent(found.media.fileName)}` : ''}`,
    };
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, headers);
      response.end();
      return;
    }
    response.writeHead(200, { ...headers, 'content-length': String(found.content.length) });
    response.end(request.method === 'HEAD' ? undefined : found.content);
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
    else await download(request, response, match[1] as string);
    return true;
  };
}
