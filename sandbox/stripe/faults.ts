import type { RequestHandler } from 'express';
import { z } from 'zod';
import { apiError, rateLimited, sendStripeError } from './errors.js';

/** What a fault does to a matching API request. */
export const faultSchema = z.object({
  kind: z.enum(['latency', 'server_error', 'timeout', 'rate_limit', 'lost_response']),
  /** Only requests with this method (any when absent). */
  method: z.string().toUpperCase().optional(),
  /** Only paths starting with this (any when absent), e.g. `/v1/payouts`. */
  pathPrefix: z.string().optional(),
  /** How many matching requests it hits; unlimited when absent. */
  times: z.number().int().positive().optional(),
  /** latency: added delay; timeout: how long the connection hangs before it is dropped. */
  delayMs: z.number().int().nonnegative().max(120_000).optional(),
  /** server_error: 500, 502, 503 or 504. */
  status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
});
export type FaultInput = z.infer<typeof faultSchema>;

export interface Fault extends FaultInput {
  id: string;
  hits: number;
}

/**
 * Fault injection for the API: added latency, 5xx `api_error`s, requests that hang, 429 with
 * Stripe's rate-limit error, and "committed but the answer was lost" (the write happens, with
 * its idempotent result saved, then the connection is dropped). Faults apply in the order added.
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
      // Mounted under `/v1`, so `request.path` is relative: match on the full path.
      const fault = this.take(request.method, request.originalUrl.split('?')[0] ?? request.path);
      if (fault === undefined) {
        next();
        return;
      }
      switch (fault.kind) {
        case 'latency':
        case 'timeout': {
          const timer = setTimeout(
            () => {
              this.hanging.delete(timer);
              if (fault.kind === 'latency') next();
              else request.socket.destroy();
            },
            fault.delayMs ?? (fault.kind === 'latency' ? 1_000 : 60_000),
          );
          this.hanging.add(timer);
          return;
        }
        case 'server_error':
          sendStripeError(response, apiError(fault.status ?? 500));
          return;
        case 'rate_limit':
          sendStripeError(response, rateLimited());
          return;
        case 'lost_response': {
          response.end = ((..._args: unknown[]) => {
            request.socket.destroy();
            return response;
          }) as typeof response.end;
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
