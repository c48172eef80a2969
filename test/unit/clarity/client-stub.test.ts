import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClarityClient, ClarityRetryableError, ClarityUnexpectedResponseError } from '../../../connectors/clarity/index.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A stub Clarity site: answers from a script, records what it was sent. */
let server: Server;
let baseUrl: string;
let seen: Seen[];
let answer: (request: Seen) => { status: number; body: unknown; headers?: Record<string, string> };

beforeEach(async () => {
  seen = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const record = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
      seen.push(record);
      const reply =
        record.url === '/oauth/token'
          ? { status: 200, body: { access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600, scope: 'orders:read' } }
          : answer(record);
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const client = () => new ClarityClient({ baseUrl, credentials: { clientId: 'client:1', clientSecret: 's3cr3t/+=' } });

describe('Clarity client on the wire', () => {
  it('when it asks for a token then it uses client_secret_basic with form-encoded parts and the client-credentials grant', async () => {
    answer = () => ({ status: 200, body: { data: [], nextCursor: null } });
    await client().listOrders({ status: 'processing', limit: 10 });
    const [token, list] = seen;
    expect(token!.headers.authorization).toBe(`Basic ${Buffer.from('client%3A1:s3cr3t%2F%2B%3D').toString('base64')}`);
    expect(new URLSearchParams(token!.body).get('grant_type')).toBe('client_credentials');
    expect(list!.url).toBe('/api/v1/orders?limit=10&status=processing');
    expect(list!.headers.authorization).toBe('Bearer tok-1');
  });

  it('when it writes then the Idempotency-Key and JSON body are sent', async () => {
    answer = () => ({ status: 200, body: { sku: 'MUG-WHT-11OZ', available: 3, locationId: 'MAIN', updatedAt: '2026-01-01T00:00:00Z' } });
    await client().setInventory({ sku: 'MUG-WHT-11OZ', available: 3 }, { idempotencyKey: 'inv-tenant-a-MUG-WHT-11OZ-42' });
    const write = seen[1]!;
    expect([write.method, write.url, write.headers['idempotency-key'], JSON.parse(write.body)]).toEqual([
      'PUT',
      '/api/v1/inventory/MUG-WHT-11OZ',
      'inv-tenant-a-MUG-WHT-11OZ-42',
      { available: 3 },
    ]);
  });

  it('when a 2xx body breaks the contract then it is an unexpected-response error naming the field, not retryable', async () => {
    answer = () => ({
      status: 200,
      body: {
        productId: 'P-1',
        sku: 'A',
        name: 'A',
        price: 12.5,
        currency: 'USD',
        active: true,
        inventory: { available: 1, tracked: true },
        updatedAt: '2026-01-01T00:00:00Z',
      },
    });
    const error = await client()
      .getProduct('A')
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ClarityUnexpectedResponseError);
    expect(error).toMatchObject({ retryable: false, type: 'ClarityUnexpectedResponseError', vendorCode: 'response_shape' });
    expect((error as Error).message).toContain('price: Invalid input: expected string, received number');
  });

  it('when the site answers 502 then the client fails once without retrying (Temporal retries)', async () => {
    answer = () => ({ status: 502, body: { title: 'Bad gateway' } });
    const error = await client()
      .getOrder('CO-1')
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ClarityRetryableError);
    expect(seen.filter((request) => request.url.startsWith('/api/'))).toHaveLength(1);
  });

  it('when an id holds URL syntax then it is path-encoded', async () => {
    answer = () => ({ status: 404, body: { type: 'https://errors.clarity.test/not-found', title: 'Not found', status: 404 } });
    await client()
      .getOrder('CO/1?x=2')
      .catch(() => undefined);
    expect(seen[1]!.url).toBe('/api/v1/orders/CO%2F1%3Fx%3D2');
  });
});
