import type { IncomingMessage, ServerResponse } from 'node:http';
import { finished } from 'node:stream/promises';
import type { VerifyToken } from '../../src/auth/jwt';
import type { Viewer } from '../../src/auth/viewer';
import { ConflictError, ForbiddenError, ValidationError } from '../../src/errors';
import { readBody, type RouteHandler } from '../../src/http';
import { bearerAuthenticator, sendError, sendJson } from './media-http';
import type { GridService } from './service/grid-service';
import { MediaRejectedError, type StoredMedia } from './service/media';
import { UploadOffsetError, type UploadState } from './service/uploads';

export const UPLOADS_PATH = '/media/uploads';
const UPLOAD = /^\/media\/uploads\/([0-9a-f-]{36})(\/complete)?$/;

/** The creation body is a few fields. */
const CREATE_BODY_BYTES = 4096;

function describe(upload: UploadState): Record<string, unknown> {
  return {
    id: upload.id,
    url: `${UPLOADS_PATH}/${upload.id}`,
    size: upload.size,
    offset: upload.offset,
    complete: upload.offset === upload.size,
    fileName: upload.fileName,
    mediaId: upload.mediaId,
  };
}

function offsetHeaders(upload: UploadState): Record<string, string> {
  return { 'upload-offset': String(upload.offset), 'upload-length': String(upload.size) };
}

function describeMedia(media: StoredMedia): Record<string, unknown> {
  return { id: media.id, sha256: media.sha256, contentType: media.contentType, size: media.size, fileName: media.fileName, duplicate: media.duplicate };
}

/**
 * Resumable uploads for phones on weak connections, in the manner of tus but without its client:
 * - `POST /media/uploads` `{ size, fileName?, sha256? }` with an optional `Idempotency-Key` header
 *   declares the file (201; a retried create with the same key answers 200 with the same upload);
 * - `PATCH /media/uploads/<id>` with `Upload-Offset: n` and the next bytes as the body; the answer
 *   (and `HEAD`/`GET` at any time, say after the connection dropped) tells the offset reached;
 * - `POST /media/uploads/<id>/complete` hashes and types the file and answers with its media id,
 *   which `recordGridPatrol` or `attachSnapshot` then attach; `DELETE` drops an unfinished upload.
 */
export function createUploadRoute(options: { verifyToken: VerifyToken; service: GridService }): RouteHandler {
  const authenticate = bearerAuthenticator(options.verifyToken);
  const uploads = options.service.media.uploads;

  const failed = (response: ServerResponse, error: unknown): void => {
    if (response.headersSent) return;
    if (error instanceof UploadOffsetError)
      sendError(response, 409, error.code, error.message, { offset: error.offset }, { 'upload-offset': String(error.offset) });
    else if (error instanceof ValidationError)
      sendError(response, error instanceof MediaRejectedError ? error.status : 400, error.code, error.message, { problems: error.problems });
    else if (error instanceof ConflictError) sendError(response, 409, error.code, error.message);
    else if (error instanceof ForbiddenError) sendError(response, 403, error.code, error.message);
    else throw error;
  };

  const create = async (request: IncomingMessage, response: ServerResponse, viewer: Viewer): Promise<void> => {
    let input: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse((await readBody(request, CREATE_BODY_BYTES)).toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object');
      input = parsed as Record<string, unknown>;
    } catch (error) {
      if ((error as { status?: number }).status === 413) throw error;
      sendError(response, 400, 'BAD_USER_INPUT', 'send a JSON object: { "size": bytes, "fileName"?: text, "sha256"?: hex }');
      return;
    }
    const key = request.headers['idempotency-key'];
    const { upload, created } = await uploads.create(viewer, {
      size: input.size,
      fileName: input.fileName,
      sha256: input.sha256,
      idempotencyKey: typeof key === 'string' ? key : undefined,
    });
    sendJson(response, created ? 201 : 200, { upload: describe(upload) }, { ...offsetHeaders(upload), location: `${UPLOADS_PATH}/${upload.id}` });
  };

  const append = async (request: IncomingMessage, response: ServerResponse, viewer: Viewer, id: string): Promise<void> => {
    const header = request.headers['upload-offset'];
    if (typeof header !== 'string' || !/^\d{1,15}$/.test(header)) {
      sendError(response, 400, 'BAD_USER_INPUT', 'send the Upload-Offset header: the position of the first byte of the body');
      return;
    }
    const state = await uploads.state(viewer, id);
    if (!state) {
      sendError(response, 404, 'NOT_FOUND', 'no such upload');
      return;
    }
    const declared = Number(request.headers['content-length'] ?? 0);
    if (Number(header) + declared > state.size) {
      sendError(
        response,
        413,
        'BAD_USER_INPUT',
        `the upload was declared with ${state.size} bytes; this body would end at ${Number(header) + declared}`,
        {},
        offsetHeaders(state),
      );
      return;
    }
    let after: UploadState | undefined;
    try {
      after = await uploads.append(viewer, id, Number(header), request);
    } catch (error) {
      if (!request.complete) {
        // the phone lost its connection: what arrived is stored, it will ask for the offset
        if (request.destroyed) return;
        // refused before the body was read: read it to its end, or the answer may never reach the client
        request.resume();
        await finished(request).catch(() => undefined);
      }
      throw error;
    }
    if (!after) sendError(response, 404, 'NOT_FOUND', 'no such upload');
    else sendJson(response, 200, { upload: describe(after) }, offsetHeaders(after));
  };

  const complete = async (response: ServerResponse, viewer: Viewer, id: string): Promise<void> => {
    const media = await uploads.complete(viewer, id);
    if (!media) sendError(response, 404, 'NOT_FOUND', 'no such upload');
    else sendJson(response, 200, { media: describeMedia(media) });
  };

  return async (request, response, url) => {
    const method = request.method ?? 'GET';
    const match = UPLOAD.exec(url.pathname);
    if (url.pathname !== UPLOADS_PATH && !match) return false;
    const viewer = await authenticate(request, response);
    if (!viewer) return true;
    try {
      if (!match) {
        if (method === 'POST') await create(request, response, viewer);
        else sendError(response, 405, 'METHOD_NOT_ALLOWED', 'POST { size } to declare an upload');
      } else if (match[2]) {
        if (method === 'POST') await complete(response, viewer, match[1] as string);
        else sendError(response, 405, 'METHOD_NOT_ALLOWED', 'POST to complete the upload');
      } else if (method === 'PATCH') await append(request, response, viewer, match[1] as string);
      else if (method === 'HEAD' || method === 'GET') {
        const state = await uploads.state(viewer, match[1] as string);
        if (!state) sendError(response, 404, 'NOT_FOUND', 'no such upload');
        else if (method === 'HEAD') {
          response.writeHead(200, { ...offsetHeaders(state), 'cache-control': 'no-store' });
          response.end();
        } else sendJson(response, 200, { upload: describe(state) }, offsetHeaders(state));
      } else if (method === 'DELETE') {
        if (await uploads.cancel(viewer, match[1] as string)) {
          response.writeHead(204, { 'cache-control': 'no-store' });
          response.end();
        } else sendError(response, 404, 'NOT_FOUND', 'no such upload');
      } else sendError(response, 405, 'METHOD_NOT_ALLOWED', 'PATCH bytes at Upload-Offset, HEAD or GET the offset, DELETE to cancel');
    } catch (error) {
      failed(response, error);
    }
    return true;
  };
}
