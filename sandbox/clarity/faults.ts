import type { RequestHandler } from 'express';
import { z } from 'zod';
import { ProblemError, problemTypes } from './problems.js';

/** What a fault does to a matching request. */
export const faultSchema = z.object({
  kind: z.enum(['latency', 'server_error', 'timeout', 'rate_limit', 'lost_response']),
  /** Only requests with this method (any when absent). */
  method: z.string().toUpperCase().optional(),
  /** Only paths starting with this (any when absent), e.g. `/api/v1/orders`. */
  pathPrefix: z.string().optional(),
  /** How many matching requests it hits; unlimited when absent. */
  times: z.number().int().positive().optional(),
  /** latency: added delay; timeout: how long the connection hangs before being dropped. */
  delayMs: z.number().int().nonnegative().max(120_000).optional(),
  /** server_error: 500, 502, 503 or 504. */
  status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
  /** rate_limit and 503: the Retry-After seconds. */
  retryAfterSeconds: z.number().int().nonnegative().optional(),
});
export type FaultInput = z.infer<typeof faultSchema>;

interface Fault extends FaultInput {
  id: string;
  hits: number;
}

/**
 * Fault injection for the API and the token endpoint: added latency, 5xx answers, requests
 * that hang until the client gives up, 429 with Retry-After, and "committed but the answer was
 * lost" (the write happens, then the connection is dropped). Faults apply in the order added.
 */
export class Faults {
  private faults: Fault[] = [];
  private nextId = 1;
  private readonly hanging = new Set<NodeJS.Timeout>();

  add(input: FaultInput): Fault {
    const fault: Fault = { ...input, id: `fault_${this.nextId++}`, hits: 0 };
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.faults = [];
    for (const timer of this.hanging) clearTimeout(timer);
    this.hanging.clear();
  }

  middleware(): RequestHandler {
    return (request, response, next) => {
      // Mounted under a path prefix, so `request.path` is relative: match on the full path.
      const fault = this.take(request.method, request.originalUrl.split('?')[0] ?? request.path);
      if (fault === undefined) {
        next();
        return;
      }
      response.locals.fault = fault.kind;
      switch (fault.kind) {
        case 'latency': {
          const timer = setTimeout(() => {
            this.hanging.delete(timer);
            next();
          }, fault.delayMs ?? 1_000);
          this.hanging.add(timer);
          return;
        }
        case 'timeout': {
          const timer = setTimeout(() => {
            this.hanging.delete(timer);
            request.socket.destroy();
          }, fault.delayMs ?? 60_000);
          this.hanging.add(timer);
          return;
        }
        case 'server_error': {
          const status = fault.status ?? 500;
          const headers: Record<string, string> =
            status === 503 && fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
          next(
            new ProblemError(
              status,
              status === 503 ? problemTypes.unavailable : problemTypes.serverError,
              status === 503 ? 'Service unavailable' : 'Internal server error',
              'injected fault',
              undefined,
              headers,
            ),
          );
          return;
        }
        case 'rate_limit':
          next(
            new ProblemError(429, problemTypes.rateLimited, 'Too many requests', 'rate limit exceeded', undefined, {
              'Retry-After': String(fault.retryAfterSeconds ?? 1),
              'RateLimit-Limit': '120',
              'RateLimit-Remaining': '0',
              'RateLimit-Reset': String(fault.retryAfterSeconds ?? 1),
            }),
          );
          return;
        case 'lost_response': {
          // Let the route commit its write, then drop the connection instead of answering.
          const end = response.end.bind(response);
          response.end = ((..._args: unknown[]) => {
            request.socket.destroy();
            return response;
          }) as typeof response.end;
          response.on('close', () => {
            response.end = end;
          });
          next();
          return;
        }
      }
    };
  }

  private take(method: string, path: string): Fault | undefined {
    const fault = this.faults.find(
      (candidate) =>
        (candidate.method === undefined || candidate.method === method) &&
        (candidate.pathPrefix === undefined || path.startsWith(candidate.pathPrefix)),
    );
    if (fault === undefined) return undefined;
    fault.hits += 1;
    if (fault.times !== undefined && fault.hits >= fault.times) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return fault;
  }
}
