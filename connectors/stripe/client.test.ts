import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createStripeClient,
  createStripeTransport,
  StripeAuthError,
  StripeInputError,
  StripeRetryableError,
  StripeUnexpectedResponseError,
  stripeApiVersion,
  type StripeError,
} from './index.js';

/**
 * The client against a throwaway HTTP server in this test (not the sandbox): what it sends
 * (key, version, encoding, idempotency keys), how it pages, and how each failure is classified.
 */
interface Seen {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (request: Seen, response: ServerResponse) => void;

const secretKey = 'sk_test_51AbCdEfGhIjKlMnOpQrStUvWx';
let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let handler: Handler = (_request, response) => response.end('{}');

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const entry = { method: request.method ?? '', url: new URL(request.url ?? '/', 'http://x'), headers: request.headers, body };
      seen.push(entry);
      handler(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
});

const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
};
const client = () => createStripeClient({ secretKey, baseUrl, timeoutMs: 5_000 });
const failureOf = async (call: Promise<unknown>): Promise<StripeError> => {
  try {
    await call;
  } catch (error) {
    return error as StripeError;
  }
  throw new Error('expected the call to fail');
};

const transaction = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  object: 'balance_transaction',
  amount: 1000,
  fee: 59,
  net: 941,
  currency: 'usd',
  created: 1_780_000_000,
  type: 'charge',
  reporting_category: 'charge',
  source: { id: `ch_${id}`, object: 'charge', payment_intent: `pi_${id}` },
  ...overrides,
});

describe('Stripe client requests', () => {
  it('when it reads then it sends the key as Bearer, pins Stripe-Version and encodes filters as Stripe reads them', async () => {
    handler = (_request, response) => json(response, 200, { object: 'list', data: [], has_more: false });
    await client().listPayouts({ arrivalDate: { gte: 1_780_000_000, lt: 1_780_086_400 }, status: 'paid' });
    await client().listPayoutBalanceTransactions('po_123');
    const [payouts, transactions] = seen;
    expect(payouts!.headers.authorization).toBe(`Bearer ${secretKey}`);
    expect(payouts!.headers['stripe-version']).toBe(stripeApiVersion);
    expect(payouts!.url.pathname).toBe('/v1/payouts');
    expect([...payouts!.url.searchParams]).toEqual([
      ['arrival_date[gte]', '1780000000'],
      ['arrival_date[lt]', '1780086400'],
      ['status', 'paid'],
      ['limit', '100'],
    ]);
    expect(transactions!.url.pathname).toBe('/v1/balance_transactions');
    expect([...transactions!.url.searchParams]).toEqual([
      ['payout', 'po_123'],
      ['expand[]', 'data.source'],
      ['limit', '100'],
    ]);
  });

  it('when a list has more pages then every page is read with starting_after the last id, in order', async () => {
    const all = Array.from({ length: 230 }, (_, index) => transaction(`txn_${String(index).padStart(3, '0')}`));
    handler = (request, response) => {
      const after = request.url.searchParams.get('starting_after');
      const start = after === null ? 0 : all.findIndex((entry) => entry.id === after) + 1;
      const limit = Number(request.url.searchParams.get('limit'));
      json(response, 200, { object: 'list', data: all.slice(start, start + limit), has_more: start + limit < all.length });
    };
    const lines = await client().listPayoutBalanceTransactions('po_many');
    expect(lines.map((line) => line.id)).toEqual(all.map((entry) => entry.id));
    expect(seen.map((request) => request.url.searchParams.get('starting_after'))).toEqual([null, 'txn_099', 'txn_199']);
  });

  it('when a page says has_more but gives no further item then the answer is unexpected, not an endless loop', async () => {
    handler = (_request, response) => json(response, 200, { object: 'list', data: [], has_more: true });
    const error = await failureOf(client().listRefunds({ charge: 'ch_1' }));
    expect(error).toBeInstanceOf(StripeUnexpectedResponseError);
    expect(seen).toHaveLength(1);
  });

  it('when a source is expanded then the charge and payment intent of a charge, refund and dispute line are known', async () => {
    handler = (_request, response) =>
      json(response, 200, {
        object: 'list',
        has_more: false,
        data: [
          transaction('txn_c'),
          transaction('txn_r', { type: 'refund', source: { id: 're_1', object: 'refund', charge: 'ch_9', payment_intent: 'pi_9' } }),
          transaction('txn_d', {
            type: 'adjustment',
            source: { id: 'dp_1', object: 'dispute', charge: { id: 'ch_8' }, payment_intent: null },
          }),
          transaction('txn_s', { type: 'stripe_fee', source: null }),
        ],
      });
    const lines = await client().listPayoutBalanceTransactions('po_1');
    expect(lines.map((line) => line.source)).toEqual([
      { id: 'ch_txn_c', object: 'charge', chargeId: 'ch_txn_c', paymentIntentId: 'pi_txn_c' },
      { id: 're_1', object: 'refund', chargeId: 'ch_9', paymentIntentId: 'pi_9' },
      { id: 'dp_1', object: 'dispute', chargeId: 'ch_8', paymentIntentId: null },
      null,
    ]);
  });

  it('when an id is not a Stripe id then nothing is sent', async () => {
    const error = await failureOf(client().retrievePayout('../v1/balance'));
    expect(error).toBeInstanceOf(StripeInputError);
    expect(seen).toHaveLength(0);
  });

  it('when it writes then the body is form-encoded and the same logical operation sends the same Idempotency-Key', async () => {
    let answered = 0;
    handler = (request, response) => {
      answered += 1;
      // The first answer is lost on the way back: the retry must be recognisable by Stripe.
      if (answered === 1) response.socket?.destroy();
      else json(response, 200, { id: 're_1', object: 'refund' });
    };
    const transport = createStripeTransport({ secretKey, baseUrl, timeoutMs: 5_000 });
    const refund = { charge: 'ch_1', amount: 500, metadata: { order: '100' }, expand: ['balance_transaction'] };
    const write = { idempotencyKey: 'refund:demo:100:1' };
    const lost = await failureOf(transport.post('/v1/refunds', refund, write, z.object({ id: z.string() })));
    expect(lost).toBeInstanceOf(StripeRetryableError);
    expect(await transport.post('/v1/refunds', refund, write, z.object({ id: z.string() }))).toEqual({ id: 're_1' });
    expect(seen.map((request) => request.headers['idempotency-key'])).toEqual(['refund:demo:100:1', 'refund:demo:100:1']);
    expect(seen[1]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect([...new URLSearchParams(seen[1]!.body)]).toEqual([
      ['charge', 'ch_1'],
      ['amount', '500'],
      ['metadata[order]', '100'],
      ['expand[]', 'balance_transaction'],
    ]);
    const refused = await failureOf(transport.post('/v1/refunds', refund, { idempotencyKey: '' }, z.object({})));
    expect(refused).toBeInstanceOf(StripeInputError);
    expect(seen).toHaveLength(2);
  });
});

describe('Stripe client failures', () => {
  const stripeError = (type: string, message: string, extra: Record<string, string> = {}) => ({ error: { type, message, ...extra } });

  it('when Stripe answers 429 with Retry-After then the failure is retryable with that wait', async () => {
    handler = (_request, response) =>
      json(response, 429, stripeError('invalid_request_error', 'Too many requests', { code: 'rate_limit' }), {
        'Retry-After': '2',
        'Request-Id': 'req_429',
      });
    const error = await failureOf(client().retrieveBalance());
    expect(error).toBeInstanceOf(StripeRetryableError);
    expect(error).toMatchObject({ kind: 'retryable', status: 429, retryAfterMs: 2000, vendorCode: 'rate_limit', requestId: 'req_429' });
  });

  it('when Stripe answers 5xx or 409 then the failure is retryable, unless Stripe-Should-Retry is false', async () => {
    for (const [status, headers, expected] of [
      [500, {}, 'retryable'],
      [502, {}, 'retryable'],
      [409, {}, 'retryable'],
      [500, { 'Stripe-Should-Retry': 'false' }, 'input'],
    ] as const) {
      handler = (_request, response) => json(response, status, stripeError('api_error', 'Something went wrong'), headers);
      const error = await failureOf(client().retrievePayout('po_1'));
      expect({ status, kind: error.kind }).toEqual({ status, kind: expected });
    }
  });

  it('when the key is refused then the failure is auth, with Stripe message and never the key', async () => {
    handler = (_request, response) =>
      json(response, 401, stripeError('invalid_request_error', `Invalid API Key provided: ${secretKey.slice(0, 8)}****UvWx ${secretKey}`));
    const error = await failureOf(client().retrieveBalance());
    expect(error).toBeInstanceOf(StripeAuthError);
    expect(error.message).toContain('Invalid API Key provided');
    expect(error.message).not.toContain(secretKey);
    expect(error.message).not.toMatch(/sk_test_/);
    handler = (_request, response) =>
      json(response, 403, stripeError('invalid_request_error', 'The provided key does not have the required permissions'));
    expect(await failureOf(client().listPayouts())).toMatchObject({ kind: 'auth', status: 403 });
  });

  it('when the request is wrong then the failure is input with Stripe type, code, message and param', async () => {
    handler = (_request, response) =>
      json(response, 404, stripeError('invalid_request_error', 'No such payout: po_missing', { code: 'resource_missing', param: 'id' }));
    const error = await failureOf(client().retrievePayout('po_missing'));
    expect(error).toBeInstanceOf(StripeInputError);
    expect(error).toMatchObject({ status: 404, vendorCode: 'resource_missing', stripeErrorType: 'invalid_request_error', param: 'id' });
    expect(error.message).toBe(
      'Stripe GET /v1/payouts/po_missing answered 404: No such payout: po_missing (invalid_request_error/resource_missing)',
    );
  });

  it('when a 2xx answer is not JSON or not the documented shape then the failure is unexpected', async () => {
    handler = (_request, response) => response.end('<html>maintenance</html>');
    expect(await failureOf(client().retrieveBalance())).toBeInstanceOf(StripeUnexpectedResponseError);
    handler = (_request, response) => json(response, 200, { object: 'payout', id: 'po_1' });
    const error = await failureOf(client().retrievePayout('po_1'));
    expect(error).toBeInstanceOf(StripeUnexpectedResponseError);
    expect(error.message).toContain('amount');
  });

  it('when nothing listens then the failure is retryable and says so without the key', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failureOf(createStripeClient({ secretKey, baseUrl: `http://127.0.0.1:${port}` }).retrieveBalance());
    expect(error).toMatchObject({ kind: 'retryable', vendorCode: 'ECONNREFUSED' });
    expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toContain(secretKey);
  });
});
