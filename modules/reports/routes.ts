import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthenticationError, type VerifyToken } from '../../src/auth/jwt';
import type { Viewer } from '../../src/auth/viewer';
import { bearerToken } from '../../src/graphql/context';
import { ForbiddenError, HubError, LimitError, NotFoundError, ValidationError } from '../../src/errors';
import type { RouteHandler } from '../../src/http';
import type { ReportsService } from './service/reports-service';
import { ExportsBusyError } from './service/jobs';

export const EXPORT_PATH = '/export';
export const MONTHLY_PATH = '/reports/monthly';
const EXPORT_KIND = /^\/export\/([a-z][a-z0-9-]{1,39})$/;

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  sendJson(response, status, { errors: [{ message, extensions: { code, ...extra } }] });
}

/** The services' typed errors as HTTP answers; anything else is left to the hub's masking. */
function sendHubError(response: ServerResponse, error: unknown): boolean {
  if (error instanceof ValidationError) sendError(response, 400, error.code, error.message, { problems: error.problems });
  else if (error instanceof NotFoundError) sendError(response, 404, error.code, error.message);
  else if (error instanceof ForbiddenError) sendError(response, 403, error.code, error.message);
  else if (error instanceof LimitError) sendError(response, 413, error.code, error.message);
  else if (error instanceof ExportsBusyError) {
    response.setHeader('retry-after', '10');
    sendError(response, 429, error.code, error.message);
  } else if (error instanceof HubError) sendError(response, 400, error.code, error.message);
  else return false;
  return true;
}

/** `attachment`, with an ASCII name and the UTF-8 one for browsers that read it. */
export function attachment(fileName: string): string {
  return `attachment; filename="${fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * `GET /export/<kind>?format=csv|xlsx&...` streams an export; `GET /reports/monthly?month=` the
 * monthly report (XLSX or printable HTML). Bearer token as for GraphQL, the same roles and row
 * scope. A refusal is a JSON error before anything is sent; an export that fails or is cancelled
 * after it began has its connection cut, so a partial file never looks complete.
 */
export function createReportRoutes(options: { verifyToken: VerifyToken; service: ReportsService }): RouteHandler {
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

  const exportFile = async (request: IncomingMessage, response: ServerResponse, kind: string, url: URL): Promise<void> => {
    const viewer = await authenticate(request, response);
    if (!viewer) return;
    let prepared;
    try {
      prepared = await options.service.prepareExport(viewer, kind, url.searchParams);
    } catch (error) {
      if (sendHubError(response, error)) return;
      throw error;
    }
    response.on('close', () => {
      if (!response.writableFinished) prepared.abandon('the download was closed');
    });
    response.writeHead(200, {
      'content-type': prepared.contentType,
      'content-disposition': attachment(prepared.fileName),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-export-id': prepared.job.id,
      ...(prepared.job.rowsEstimated !== null ? { 'x-export-rows-estimate': String(prepared.job.rowsEstimated) } : {}),
    });
    try {
      await prepared.write(response);
    } catch {
      // the job records why; the client must not take what it got for the whole file
      response.destroy();
    }
  };

  const monthly = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const viewer = await authenticate(request, response);
    if (!viewer) return;
    let report;
    try {
      report = await options.service.monthlyReport(viewer, url.searchParams);
    } catch (error) {
      if (sendHubError(response, error)) return;
      throw error;
    }
    response.writeHead(200, {
      'content-type': report.contentType,
      'content-length': String(report.body.length),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...(report.format === 'html'
        ? // the page is self-contained: inline styles and SVG, no script, nothing fetched
          { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:" }
        : { 'content-disposition': attachment(report.fileName) }),
    });
    response.end(report.body);
  };

  return async (request, response, url) => {
    const method = request.method ?? 'GET';
    const match = EXPORT_KIND.exec(url.pathname);
    if (!match && url.pathname !== MONTHLY_PATH) return false;
    if (method !== 'GET') {
      sendError(response, 405, 'METHOD_NOT_ALLOWED', 'GET the file');
      return true;
    }
    if (match) await exportFile(request, response, match[1] as string, url);
    else await monthly(request, response, url);
    return true;
  };
}
