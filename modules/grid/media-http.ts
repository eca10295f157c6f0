import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AuthenticationError, type VerifyToken } from '../../src/auth/jwt';
import type { Viewer } from '../../src/auth/viewer';
import { bearerToken } from '../../src/graphql/context';
import { matchesEtag, parseRange } from './service/byte-range';
import type { MediaFile } from './service/media';

/** What the media routes share: JSON answers, errors in the GraphQL shape, Bearer authentication. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}

export function sendError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  sendJson(response, status, { errors: [{ message, extensions: { code, ...extra } }] }, headers);
}

export function bearerAuthenticator(verifyToken: VerifyToken) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<Viewer | undefined> => {
    try {
      const viewer = await verifyToken(bearerToken(request.headers.authorization));
      if (viewer.subject !== undefined) return viewer;
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      sendError(response, 401, 'UNAUTHENTICATED', error.message);
      return undefined;
    }
    sendError(response, 401, 'UNAUTHENTICATED', 'a Bearer token is required');
    return undefined;
  };
}

/**
 * Serves a stored file as players and browsers expect: one byte range (206, or 416 past the end),
 * the hash as a strong ETag (304 on If-None-Match, If-Range honoured), streamed from the store so a
 * long video never sits in memory. `maxAgeSeconds` is how long a private cache may keep it.
 */
export async function sendMediaFile(request: IncomingMessage, response: ServerResponse, file: MediaFile, maxAgeSeconds: number): Promise<void> {
  const { media } = file;
  const etag = `"${media.sha256}"`;
  const headers: Record<string, string> = {
    'content-type': media.contentType,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'",
    'cache-control': `private, max-age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    'accept-ranges': 'bytes',
    etag,
    'content-disposition': `inline; filename="${media.id}"${media.fileName ? `; filename*=UTF-8''${encodeURIComponent(media.fileName)}` : ''}`,
  };
  if (matchesEtag(request.headers['if-none-match'], etag)) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  const ifRange = request.headers['if-range'];
  const range = typeof ifRange === 'string' && !matchesEtag(ifRange, etag) ? 'whole' : parseRange(request.headers.range, media.size);
  if (range === 'unsatisfiable') {
    response.writeHead(416, { ...headers, 'content-range': `bytes */${media.size}`, 'content-length': '0' });
    response.end();
    return;
  }
  const { start, end } = range === 'whole' ? { start: 0, end: media.size - 1 } : range;
  if (range === 'whole') response.writeHead(200, { ...headers, 'content-length': String(media.size) });
  else response.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${media.size}`, 'content-length': String(end - start + 1) });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  try {
    await pipeline(Readable.from(file.read(start, end)), response);
  } catch (error) {
    // a player that seeks drops its connection mid-range: nothing to report
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  }
}
