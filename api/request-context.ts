import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../config/logger.js';

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is well formed, else a new
 * one), echoes it, and logs one line per finished request. Bodies and headers are not logged:
 * they may carry credentials and personal data.
 */
export function requestContext(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const offered = request.get('x-request-id');
    const requestId = offered !== undefined && requestIdPattern.test(offered) ? offered : randomUUID();
    response.locals.requestId = requestId;
    response.setHeader('X-Request-Id', requestId);
    const startedAt = process.hrtime.bigint();
    response.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      logger.info({ requestId, method: request.method, path: request.path, status: response.statusCode, durationMs }, 'request');
    });
    next();
  };
}
