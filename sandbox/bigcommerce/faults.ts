import type { Request, RequestHandler } from 'express';
import { sendV3Error } from './responses.js';

/** Faults to inject into the next API requests (set through the control API). */
export interface FaultSettings {
  /** Delay before every API request is handled. */
  latencyMs?: number;
  /** The next `count` requests answer `status` (5xx by default) without being handled. */
  failNext?: { count: number; status?: number };
  /** The next `count` requests get no answer at all, until the caller gives up. */
  timeoutNext?: number;
  /** The next `count` requests answer 429 without rate-limit headers (platform under load). */
  rateLimitNext?: number;
  /** The next `count` requests are handled (and committed) but the connection is cut before the answer. */
  dropResponseNext?: number;
}

/** One API request as the control API reports it; never headers or bodies (they hold tokens). */
export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** The `include` query parameter, when the request had one: which sub-resources a read embedded. */
  include?: string;
  fault?: string;
}

/** The fault switches and the request log, both reset by the control API. */
export class FaultControl {
  settings: FaultSettings = {};
  readonly log: LoggedRequest[] = [];
  private readonly hanging = new Set<Request>();

  reset(): void {
    this.settings = {};
    this.log.length = 0;
    this.releaseHanging();
  }

  /** Cuts the connections held open by the timeout fault. */
  releaseHanging(): void {
    for (const request of this.hanging) request.socket.destroy();
    this.hanging.clear();
  }

  private take(key: 'timeoutNext' | 'rateLimitNext' | 'dropResponseNext'): boolean {
    const left = this.settings[key] ?? 0;
    if (left <= 0) return false;
    this.settings[key] = left - 1;
    return true;
  }

  /** Records each API request once it has been answered (or cut). */
  logger(): RequestHandler {
    return (request, response, next) => {
      const started = Date.now();
      // Routers rewrite `request.path` as they go: keep the path as it arrived.
      const path = request.originalUrl.split('?')[0] ?? request.originalUrl;
      const include = typeof request.query.include === 'string' ? request.query.include : undefined;
      const entry = (fault?: string): LoggedRequest => ({
        at: new Date(started).toISOString(),
        method: request.method,
        path,
        status: response.statusCode,
        durationMs: Date.now() - started,
        ...(include !== undefined && { include }),
        ...(fault !== undefined && { fault }),
      });
      response.on('finish', () => this.log.push(entry(response.locals.fault as string | undefined)));
      response.on('close', () => {
        if (!response.writableFinished) this.log.push(entry((response.locals.fault as string | undefined) ?? 'connection closed'));
      });
      if (this.log.length > 5000) this.log.splice(0, this.log.length - 5000);
      next();
    };
  }

  /** Applies the faults, in the order a caller would meet them. */
  middleware(): RequestHandler {
    return async (request, response, next) => {
      if (this.settings.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.settings.latencyMs));
      const failNext = this.settings.failNext;
      if (failNext && failNext.count > 0) {
        failNext.count -= 1;
        response.locals.fault = 'fail';
        const status = failNext.status ?? 500;
        sendV3Error(response, status, status === 503 ? 'Service Unavailable' : 'Internal Server Error');
        return;
      }
      if (this.take('timeoutNext')) {
        response.locals.fault = 'timeout';
        this.hanging.add(request);
        request.socket.once('close', () => this.hanging.delete(request));
        return;
      }
      if (this.take('rateLimitNext')) {
        response.locals.fault = 'rate-limit-without-headers';
        sendV3Error(response, 429, 'Too Many Requests');
        return;
      }
      if (this.take('dropResponseNext')) {
        response.locals.fault = 'response-lost';
        // The handler runs and commits; the answer never reaches the caller.
        response.end = (() => {
          request.socket.destroy();
          return response;
        }) as typeof response.end;
      }
      next();
    };
  }
}
