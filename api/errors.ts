import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../config/logger.js';
import { requestLogContext } from './request-context.js';

/** An error whose status and message are meant for the caller. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { code: string; message: string; requestId: string | undefined; details?: unknown };
}

export const notFound: RequestHandler = (request, _response, next) => {
  next(new HttpError(404, 'not_found', `no route for ${request.method} ${request.path}`));
};

/**
 * The one error middleware: every failure leaves as JSON with a stable code and the request
 * id. Unexpected errors are logged with their stack and answered 500 without internals.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const requestId = response.locals.requestId as string | undefined;
    const bodyParserError = error as { type?: string; status?: number; expose?: boolean; message?: string };
    let status: number;
    let body: ErrorBody['error'];
    if (error instanceof HttpError) {
      status = error.status;
      body = { code: error.code, message: error.message, requestId, ...(error.details !== undefined && { details: error.details }) };
    } else if (typeof bodyParserError.status === 'number' && bodyParserError.status < 500 && bodyParserError.expose) {
      // body-parser and friends: malformed JSON, oversized bodies, unsupported charsets.
      status = bodyParserError.status;
      body = {
        code: bodyParserError.type?.replaceAll('.', '_') ?? 'bad_request',
        message: bodyParserError.message ?? 'bad request',
        requestId,
      };
    } else if (error instanceof URIError && bodyParserError.status === 400) {
      // Express could not percent-decode a path parameter: the caller's URL is broken, not us.
      status = 400;
      body = { code: 'bad_request', message: 'the request path could not be decoded', requestId };
    } else {
      status = 500;
      body = { code: 'internal_error', message: 'internal error', requestId };
    }
    const log = status >= 500 ? logger.error.bind(logger) : logger.info.bind(logger);
    log(
      {
        err: status >= 500 ? error : undefined,
        ...requestLogContext(response),
        method: request.method,
        path: request.path,
        status,
        code: body.code,
      },
      'request failed',
    );
    response.status(status).json({ error: body } satisfies ErrorBody);
  };
}
