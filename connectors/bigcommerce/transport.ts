import type { LookupFunction } from 'node:net';
import { got, RequestError, type Method } from 'got';
import type { z } from 'zod';
import { inVendorCallSpan, pathTemplate } from '../vendor-call-span.js';
import { endpointRefusalIn, type VendorEndpointRefusedError } from '../vendor-endpoints.js';
import {
  BigCommerceAuthError,
  BigCommerceInputError,
  BigCommerceRetryableError,
  BigCommerceUnexpectedResponseError,
  type BigCommerceError,
} from './errors.js';
import { readRateLimitHeaders, retryAfterMs, type RateLimitState, type StoreRequestLimiter } from './rate-limit.js';
import { v2ErrorBody, v3ErrorBody } from './schemas/common.js';

/** A tenant's store-level API account. Kept out of every log line and error message. */
export interface BigCommerceCredentials {
  storeHash: string;
  accessToken: string;
}

export interface BigCommerceTransportOptions {
  credentials: BigCommerceCredentials;
  /** `https://api.bigcommerce.com` in production; the sandbox's URL locally. */
  baseUrl?: string;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Spaces requests to stay under the store's quota. Optional: without it requests go at once. */
  limiter?: StoreRequestLimiter;
  userAgent?: string;
  /** Replaces the system's DNS lookup (the installation's check that the API resolves to public addresses only). */
  dnsLookup?: LookupFunction;
}

export type ApiVersion = 'v2' | 'v3';
export type SearchParams = Record<string, string | number | boolean | undefined>;

export interface BigCommerceRequest {
  version: ApiVersion;
  method: Method;
  /** Path under the version base, starting with `/` (for example `/orders/12/products`). */
  path: string;
  searchParams?: SearchParams;
  json?: unknown;
  /** Runs after every earlier exclusive request of the store (inventory writes). */
  exclusive?: boolean;
}

export interface BigCommerceResponse {
  status: number;
  /** Parsed JSON, or undefined for the empty 204 BigCommerce sends for empty V2 lists. */
  body: unknown;
  rateLimit: RateLimitState;
}

/** Sends requests to one store and turns failures into classified errors. No retries. */
export interface BigCommerceTransport {
  send(request: BigCommerceRequest): Promise<BigCommerceResponse>;
  /** Sends and validates the body against `schema` (a 204 is validated as `undefined`). */
  sendParsed<T extends z.ZodType>(request: BigCommerceRequest, schema: T): Promise<z.output<T>>;
  /** The latest rate-limit headers seen from the store. */
  lastRateLimit(): RateLimitState;
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

/** Builds the transport for one store. */
export function createBigCommerceTransport(options: BigCommerceTransportOptions): BigCommerceTransport {
  const baseUrl = (options.baseUrl ?? 'https://api.bigcommerce.com').replace(/\/+$/, '');
  const { storeHash, accessToken } = options.credentials;
  let latest: RateLimitState = {};
  let privateLane: Promise<unknown> = Promise.resolve();

  // Without a shared limiter, a client still runs its own exclusive requests one at a time.
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    if (options.limiter) return options.limiter.exclusive(task);
    const run = privateLane.then(task, task);
    privateLane = run.catch(() => undefined);
    return run;
  };

  const once = async (request: BigCommerceRequest): Promise<BigCommerceResponse> => {
    const url = `${baseUrl}/stores/${encodeURIComponent(storeHash)}/${request.version}${request.path}`;
    const searchParams = Object.fromEntries(
      Object.entries(request.searchParams ?? {}).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined),
    );
    let response;
    try {
      response = await got(url, {
        method: request.method,
        headers: {
          'X-Auth-Token': accessToken,
          Accept: 'application/json',
          'User-Agent': options.userAgent ?? 'intacct-storefront-sync',
        },
        searchParams,
        ...(request.json !== undefined && { json: request.json }),
        responseType: 'text',
        throwHttpErrors: false,
        retry: { limit: 0 },
        // The token travels in a header: it must not follow a redirect to a host nobody checked.
        followRedirect: false,
        ...(options.dnsLookup && { dnsLookup: options.dnsLookup }),
        timeout: { request: options.timeoutMs ?? 30_000 },
      });
    } catch (error) {
      throw classifyRequestError(error, request);
    }
    latest = readRateLimitHeaders(response.headers);
    options.limiter?.observe(latest, response.statusCode === 429 ? retryAfterMs(response.headers) : undefined);
    const body = parseBody(response.body, response.statusCode, request);
    if (response.statusCode >= 200 && response.statusCode < 300) return { status: response.statusCode, body, rateLimit: latest };
    throw classifyResponse(response.statusCode, response.headers, body, request);
  };

  const send = (request: BigCommerceRequest): Promise<BigCommerceResponse> => {
    const scheduled = () => (options.limiter ? options.limiter.schedule(() => once(request)) : once(request));
    const operation = `${request.method} ${request.version}${pathTemplate(request.path)}`;
    return inVendorCallSpan({ system: 'bigcommerce', operation }, () => (request.exclusive ? exclusive(scheduled) : scheduled()));
  };

  return {
    send,
    async sendParsed(request, schema) {
      const { body } = await send(request);
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        throw new BigCommerceUnexpectedResponseError(
          `${describe(request)}: response does not match the documented shape: ${parsed.error.issues
            .slice(0, 3)
            .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
            .join('; ')}`,
          {
            vendorCode: 'unexpected_response',
          },
        );
      }
      return parsed.data;
    },
    lastRateLimit: () => latest,
  };
}

function describe(request: BigCommerceRequest): string {
  return `BigCommerce ${request.method} ${request.version}${request.path}`;
}

function parseBody(text: string, status: number, request: BigCommerceRequest): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    if (status >= 200 && status < 300)
      throw new BigCommerceUnexpectedResponseError(`${describe(request)}: response is not JSON`, { status, cause });
    // Proxies and maintenance pages answer errors in HTML: keep the status, drop the body.
    return undefined;
  }
}

function classifyRequestError(error: unknown, request: BigCommerceRequest): BigCommerceError | VendorEndpointRefusedError {
  const refused = endpointRefusalIn(error);
  if (refused) return refused;
  const code = error instanceof RequestError ? error.code : undefined;
  const retryable = code === undefined || networkCodes.has(code) || (error instanceof RequestError && error.name === 'TimeoutError');
  const message = `${describe(request)} failed before a response: ${code ?? 'network error'}`;
  // got's error holds the request options, token included: keep only its name and message.
  const cause = error instanceof Error ? new Error(`${error.name}: ${error.message}`) : undefined;
  return retryable
    ? new BigCommerceRetryableError(message, { vendorCode: code, cause })
    : new BigCommerceInputError(message, { vendorCode: code, cause });
}

interface VendorError {
  message: string;
  vendorCode?: string | undefined;
  fieldErrors?: Record<string, unknown> | undefined;
}

/** Reads V2 arrays, V3 bodies and the refund endpoints' `{data:[error]}` wrapping alike. */
export function readVendorError(body: unknown): VendorError | undefined {
  const v2 = v2ErrorBody.safeParse(body);
  if (v2.success && v2.data.length > 0) {
    const details = v2.data.find((entry) => entry.details !== undefined)?.details;
    return { message: v2.data.map((entry) => entry.message).join('; '), vendorCode: v2.data[0]?.status?.toString(), fieldErrors: details };
  }
  const wrapped =
    body !== null && typeof body === 'object' && 'data' in body && Array.isArray(body.data) ? (body.data as unknown[])[0] : body;
  const v3 = v3ErrorBody.safeParse(wrapped);
  if (v3.success && v3.data.title !== undefined) {
    const fields = v3.data.errors !== undefined && Object.keys(v3.data.errors).length > 0 ? v3.data.errors : undefined;
    const detail = fields
      ? ` (${Object.entries(fields)
          .map(([field, reason]) => `${field}: ${typeof reason === 'string' ? reason : JSON.stringify(reason)}`)
          .join(', ')})`
      : '';
    return { message: `${v3.data.title}${detail}`, vendorCode: v3.data.code?.toString() ?? v3.data.type, fieldErrors: fields };
  }
  return undefined;
}

/** Turns a non-2xx answer into the error class that says what the caller should do. */
export function classifyResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
  request: BigCommerceRequest,
): BigCommerceError {
  const vendor = readVendorError(body);
  const requestIdHeader = headers['x-request-id'];
  const details = {
    status,
    vendorCode: vendor?.vendorCode,
    fieldErrors: vendor?.fieldErrors,
    requestId: Array.isArray(requestIdHeader) ? requestIdHeader[0] : requestIdHeader,
  };
  const message = `${describe(request)} answered ${status}${vendor ? `: ${vendor.message}` : ''}`;
  if (status === 429) return new BigCommerceRetryableError(message, { ...details, retryAfterMs: retryAfterMs(headers) });
  if (status === 401 || status === 403) return new BigCommerceAuthError(message, details);
  // 501 and 505 will not change on a retry; 507 is a plan limit someone must raise.
  if (status === 423 || (status >= 500 && status !== 501 && status !== 505 && status !== 507))
    return new BigCommerceRetryableError(message, details);
  return new BigCommerceInputError(message, details);
}
