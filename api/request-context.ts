import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../config/logger.js';

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The address of the client behind a request: the socket's peer, or, when that peer is a
 * proxy the app trusts (`trust proxy`, from API_TRUSTED_PROXIES), the address the proxies
 * forwarded in `X-Forwarded-For` (unless what they forwarded is not an address). IPv4 reached
 * over an IPv6 socket is written as IPv4; IPv6 is kept whole, so an operator can trace the very
 * host.
 */
export function clientAddress(request: Request): string {
  // A trusted proxy that passed on a client's header unchecked can hand over any text: the
  // socket's peer is then the only address known to be real.
  const address = request.ip !== undefined && net.isIP(request.ip) !== 0 ? request.ip : request.socket.remoteAddress;
  if (address === undefined || address === '') return 'unknown';
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;
}

/**
 * What ties a security-relevant log line (a refused key or webhook, a request) to its request
 * and its client; empty outside {@link requestContext}.
 */
export function requestLogContext(response: Response): { requestId?: string; clientAddress?: string } {
  return {
    requestId: response.locals.requestId as string | undefined,
    clientAddress: response.locals.clientAddress as string | undefined,
  };
}

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is well formed, else a new
 * one), echoes it, and logs one line per finished request with the client's address. Bodies
 * and headers are not logged: they may carry credentials and personal data.
 */
export function requestContext(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const offered = request.get('x-request-id');
    const requestId = offered !== undefined && requestIdPattern.test(offered) ? offered : randomUUID();
    response.locals.requestId = requestId;
    response.locals.clientAddress = clientAddress(request);
    response.setHeader('X-Request-Id', requestId);
    const startedAt = process.hrtime.bigint();
    response.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      logger.info(
        { ...requestLogContext(response), method: request.method, path: request.path, status: response.statusCode, durationMs },
        'request',
      );
    });
    next();
  };
}
