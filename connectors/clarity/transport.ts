import type { LookupFunction } from 'node:net';
import got, { type Got, type Method } from 'got';
import { inVendorCallSpan } from '../vendor-call-span.js';
import { endpointRefusalIn } from '../vendor-endpoints.js';
import { classifyFailedAnswer, classifyTransportFailure, ClarityUnexpectedResponseError, type ClarityError } from './errors.js';
import { clarityHeaders, problemFromWire } from './wire-mapping.js';
import type { z } from 'zod';

/** One HTTP exchange as the transport sees it. */
export interface ClarityExchange {
  operation: string;
  method: Method;
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface ClarityAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ClarityTransportOptions {
  /** The site's origin, e.g. `https://store.example.com` (a path prefix is kept). */
  baseUrl: string;
  timeoutMs: number;
  userAgent: string;
  /** Replaces the system's DNS lookup (the installation's check that the site resolves to public addresses only). */
  dnsLookup?: LookupFunction;
}

/**
 * Sends one request and returns the answer whatever its status; a request that gets no answer
 * becomes a `ClarityRetryableError`. No retries here: Temporal retries activities.
 */
export class ClarityTransport {
  private readonly http: Got;
  private readonly origin: string;

  constructor(options: ClarityTransportOptions) {
    this.origin = options.baseUrl.replace(/\/+$/, '');
    this.http = got.extend({
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      ...(options.dnsLookup && { dnsLookup: options.dnsLookup }),
      timeout: { request: options.timeoutMs },
      headers: { 'user-agent': options.userAgent, accept: 'application/json, application/problem+json' },
    });
  }

  send(exchange: ClarityExchange): Promise<ClarityAnswer> {
    return inVendorCallSpan({ system: 'clarity', operation: exchange.operation }, () => this.exchange(exchange));
  }

  private async exchange(exchange: ClarityExchange): Promise<ClarityAnswer> {
    try {
      const response = await this.http(`${this.origin}${exchange.path}`, {
        method: exchange.method,
        ...(exchange.query !== undefined && { searchParams: exchange.query }),
        ...(exchange.json !== undefined && { json: exchange.json }),
        ...(exchange.form !== undefined && { form: exchange.form }),
        ...(exchange.headers !== undefined && { headers: exchange.headers }),
        responseType: 'text',
      });
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (failure) {
      throw endpointRefusalIn(failure) ?? classifyTransportFailure(exchange.operation, failure);
    }
  }
}

/** The first value of a header. */
export function headerValue(answer: ClarityAnswer, name: string): string | undefined {
  const value = answer.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Turns a non-2xx answer into a classified error, reading a problem+json body when there is one. */
export function failureOf(operation: string, answer: ClarityAnswer, now: () => number): ClarityError {
  const problem = problemFromWire.safeParse(parseJson(answer.body));
  return classifyFailedAnswer(
    {
      operation,
      status: answer.status,
      requestId: headerValue(answer, clarityHeaders.requestId),
      retryAfterHeader: headerValue(answer, clarityHeaders.retryAfter),
      ...(problem.success && {
        vendorCode: problem.data.code,
        title: problem.data.title,
        detail: problem.data.detail,
        fieldErrors: problem.data.fieldErrors,
      }),
    },
    now,
  );
}

/**
 * Reads a 2xx body through its zod schema; one that does not match the contract is a
 * non-retryable `ClarityUnexpectedResponseError`.
 */
export function readBody<T>(operation: string, answer: ClarityAnswer, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(parseJson(answer.body));
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new ClarityUnexpectedResponseError(`Clarity ${operation} answered a body that does not match the contract (${where})`, {
    operation,
    status: answer.status,
    vendorCode: 'response_shape',
    requestId: headerValue(answer, clarityHeaders.requestId),
  });
}

function parseJson(body: string): unknown {
  if (body === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
