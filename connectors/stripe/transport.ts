import type { LookupFunction } from 'node:net';
import { got, RequestError, type Method } from 'got';
import { z } from 'zod';
import { inVendorCallSpan, pathTemplate } from '../vendor-call-span.js';
import { endpointRefusalIn, type VendorEndpointRefusedError } from '../vendor-endpoints.js';
import { StripeAuthError, StripeInputError, StripeRetryableError, StripeUnexpectedResponseError, type StripeError } from './errors.js';
import { encodeStripeParams, type StripeParams } from './form-encoding.js';

/**
 * The API version every request pins with `Stripe-Version`, so the account's default version
 * (which its owner may upgrade at any time) never changes the shapes this connector reads.
 */
export const stripeApiVersion = '2024-06-20';

/** Stripe's production API. */
export const stripeApiBaseUrl = 'https://api.stripe.com';

export interface StripeTransportOptions {
  /** The account's secret or restricted key, sent as `Authorization: Bearer`. Kept out of every log line and error. */
  secretKey: string;
  /** `https://api.stripe.com` in production; the sandbox's URL locally. */
  baseUrl?: string;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  userAgent?: string;
  /** Replaces the system's DNS lookup (the installation's check that the API resolves to public addresses only). */
  dnsLookup?: LookupFunction;
}

/** What makes a write safe to send again: Stripe answers a repeated key with the first answer. */
export interface StripeWriteOptions {
  /**
   * Derived from the logical operation (for example `refund:{tenant}:{order}:{refund}`), never
   * random per attempt, so a retry after a lost answer is recognised. At most 255 characters.
   */
  idempotencyKey: string;
}

/** Sends requests to one Stripe account and turns failures into classified errors. No retries. */
export interface StripeTransport {
  /** A GET with `params` in the query string, its answer validated against `schema`. */
  get<T extends z.ZodType>(path: string, params: StripeParams, schema: T): Promise<z.output<T>>;
  /** A POST with `params` form-encoded and an `Idempotency-Key`, its answer validated against `schema`. */
  post<T extends z.ZodType>(path: string, params: StripeParams, write: StripeWriteOptions, schema: T): Promise<z.output<T>>;
}

const networkCodes = new Set([
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'ERR_GOT_REQUEST_ERROR',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

/** Builds the transport for one Stripe account. */
export function createStripeTransport(options: StripeTransportOptions): StripeTransport {
  const baseUrl = (options.baseUrl ?? stripeApiBaseUrl).replace(/\/+$/, '');
  const mask = (text: string) => maskSecrets(text, options.secretKey);

  const send = (method: Method, path: string, params: StripeParams, idempotencyKey?: string): Promise<unknown> =>
    inVendorCallSpan({ system: 'stripe', operation: `${method} ${pathTemplate(path)}` }, () =>
      request(method, path, params, idempotencyKey),
    );

  const request = async (method: Method, path: string, params: StripeParams, idempotencyKey?: string): Promise<unknown> => {
    const encoded = encodeStripeParams(params);
    const url = method === 'GET' && encoded !== '' ? `${baseUrl}${path}?${encoded}` : `${baseUrl}${path}`;
    let response;
    try {
      response = await got(url, {
        method,
        headers: {
          Authorization: `Bearer ${options.secretKey}`,
          'Stripe-Version': stripeApiVersion,
          Accept: 'application/json',
          'User-Agent': options.userAgent ?? 'intacct-storefront-sync',
          ...(idempotencyKey !== undefined && { 'Idempotency-Key': idempotencyKey }),
          ...(method === 'POST' && { 'Content-Type': 'application/x-www-form-urlencoded' }),
        },
        ...(method === 'POST' && { body: encoded }),
        responseType: 'text',
        throwHttpErrors: false,
        retry: { limit: 0 },
        // The key travels in a header: it must not follow a redirect to a host nobody checked.
        followRedirect: false,
        ...(options.dnsLookup && { dnsLookup: options.dnsLookup }),
        timeout: { request: options.timeoutMs ?? 30_000 },
      });
    } catch (error) {
      throw classifyRequestError(error, method, path, mask);
    }
    const body = parseBody(response.body, response.statusCode, method, path);
    if (response.statusCode >= 200 && response.statusCode < 300) return body;
    throw classifyStripeResponse(response.statusCode, response.headers, body, `Stripe ${method} ${path}`, mask);
  };

  const parsed = <T extends z.ZodType>(body: unknown, schema: T, method: string, path: string): z.output<T> => {
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    const issues = result.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
      .join('; ');
    throw new StripeUnexpectedResponseError(`Stripe ${method} ${path}: the answer does not have the documented shape: ${issues}`, {
      vendorCode: 'unexpected_response',
    });
  };

  return {
    async get(path, params, schema) {
      return parsed(await send('GET', path, params), schema, 'GET', path);
    },
    async post(path, params, write, schema) {
      if (!idempotencyKeyPattern.test(write.idempotencyKey))
        throw new StripeInputError(`Stripe POST ${path}: the idempotency key must be 1 to 255 printable characters`, {
          vendorCode: 'invalid_idempotency_key',
        });
      return parsed(await send('POST', path, params, write.idempotencyKey), schema, 'POST', path);
    },
  };
}

/** Masks API keys and signing secrets in text from Stripe or the network layer (Stripe's own messages echo a masked key). */
export function maskSecrets(text: string, secretKey?: string): string {
  const withoutOwn = secretKey !== undefined && secretKey !== '' ? text.split(secretKey).join('[key]') : text;
  return withoutOwn.replace(/\b(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9*]+|\bwhsec_[A-Za-z0-9+/=*]+/g, '[key]');
}

function parseBody(text: string, status: number, method: string, path: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    if (status >= 200 && status < 300)
      throw new StripeUnexpectedResponseError(`Stripe ${method} ${path}: the answer is not JSON`, { status, cause });
    // Proxies and load balancers answer errors in HTML: keep the status, drop the body.
    return undefined;
  }
}

function classifyRequestError(
  error: unknown,
  method: string,
  path: string,
  mask: (text: string) => string,
): StripeError | VendorEndpointRefusedError {
  const refused = endpointRefusalIn(error);
  if (refused) return refused;
  const code = error instanceof RequestError ? error.code : undefined;
  const retryable = code === undefined || networkCodes.has(code) || (error instanceof RequestError && error.name === 'TimeoutError');
  const message = `Stripe ${method} ${path} failed before an answer: ${code ?? 'network error'}`;
  // got's error holds the request options, key included: keep only its name and message.
  const cause = error instanceof Error ? new Error(mask(`${error.name}: ${error.message}`)) : undefined;
  return retryable
    ? new StripeRetryableError(message, { vendorCode: code, cause })
    : new StripeInputError(message, { vendorCode: code, cause });
}

/** Stripe's error object (`{ error: { type, code, message, param, … } }`), as far as this connector reads it. */
const stripeErrorBody = z.object({
  error: z.object({
    type: z.string().optional(),
    code: z.string().optional(),
    message: z.string().optional(),
    param: z.string().optional(),
    decline_code: z.string().optional(),
  }),
});

type HeaderBag = Record<string, string | string[] | undefined>;
const header = (headers: HeaderBag, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** `Retry-After` as milliseconds: delay-seconds or an HTTP date (RFC 9110); undefined when absent or unreadable. */
export function retryAfterMs(headers: HeaderBag, now = Date.now()): number | undefined {
  const value = header(headers, 'retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Turns a non-2xx answer into the error class that says what the caller should do. 429 (rate
 * limits, lock timeouts), 409 (a concurrent request with the same idempotency key) and 5xx are
 * retryable, unless Stripe says `Stripe-Should-Retry: false` (a replayed failure of an
 * idempotent request, which the same key would only replay again); 401 and 403 are the
 * connection's; the rest is input.
 */
export function classifyStripeResponse(
  status: number,
  headers: HeaderBag,
  body: unknown,
  what: string,
  mask: (text: string) => string = (text) => maskSecrets(text),
): StripeError {
  const parsed = stripeErrorBody.safeParse(body);
  const vendor = parsed.success ? parsed.data.error : undefined;
  const vendorMessage = vendor?.message === undefined ? undefined : mask(vendor.message).slice(0, 500);
  const details = {
    status,
    vendorCode: vendor?.code ?? vendor?.type,
    stripeErrorType: vendor?.type,
    param: vendor?.param,
    requestId: header(headers, 'request-id'),
  };
  const named = [vendor?.type, vendor?.code].filter((part) => part !== undefined).join('/');
  const message = `${what} answered ${status}${vendorMessage !== undefined ? `: ${vendorMessage}` : ''}${named !== '' ? ` (${named})` : ''}`;
  const shouldRetry = header(headers, 'stripe-should-retry');
  if (status === 401 || status === 403) return new StripeAuthError(message, details);
  if (shouldRetry === 'false') return new StripeInputError(message, details);
  if (status === 429 || status === 409 || status >= 500 || shouldRetry === 'true')
    return new StripeRetryableError(message, { ...details, retryAfterMs: retryAfterMs(headers) });
  return new StripeInputError(message, details);
}
