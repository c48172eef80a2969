import type { LookupFunction } from 'node:net';
import got, { RequestError, TimeoutError } from 'got';
import { endpointRefusalIn } from '../vendor-endpoints.js';
import { IntacctRetryableError } from './errors.js';

/** What the client needs from an HTTP answer. */
export interface IntacctHttpResponse {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly retryAfter: string | undefined;
  readonly body: string;
}

/** Sends one XML request; injectable so tests and other runtimes can replace got. */
export interface IntacctTransport {
  post(url: string, xml: string, options: { readonly timeoutMs: number }): Promise<IntacctHttpResponse>;
}

/**
 * got without its own retries (Temporal owns retries) and without throwing on HTTP status:
 * 4xx answers can carry an XML response that must be read. `dnsLookup` replaces the system's
 * lookup (the installation's check that an endpoint resolves to public addresses only).
 */
export function createGotTransport(options: { readonly userAgent?: string; readonly dnsLookup?: LookupFunction } = {}): IntacctTransport {
  const client = got.extend({
    ...(options.dnsLookup && { dnsLookup: options.dnsLookup }),
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    decompress: true,
    headers: { 'content-type': 'application/xml', 'user-agent': options.userAgent ?? 'intacct-storefront-sync' },
  });
  return {
    async post(url, xml, { timeoutMs }) {
      try {
        const response = await client.post(url, { body: xml, timeout: { request: timeoutMs } });
        return {
          status: response.statusCode,
          contentType: response.headers['content-type'],
          retryAfter: response.headers['retry-after'],
          body: response.body,
        };
      } catch (error) {
        // Refused before anything was sent: the installation's rule, not the network.
        const refused = endpointRefusalIn(error);
        if (refused) throw refused;
        // Any failure after the bytes left may have reached the gateway: the outcome is unknown.
        const timedOut = error instanceof TimeoutError;
        const code = error instanceof RequestError ? error.code : undefined;
        // got's error keeps the request options, body included (credentials): pass on only its name, code and message.
        const cause = new Error(error instanceof Error ? `${error.name}: ${error.message}` : 'unknown transport failure');
        throw new IntacctRetryableError(
          `Intacct request failed before an answer arrived (${timedOut ? 'timeout' : (code ?? 'network error')})`,
          {
            level: 'transport',
            outcomeUnknown: true,
            cause,
          },
        );
      }
    },
  };
}
