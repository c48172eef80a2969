import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clarityRoutes } from '../../../connectors/clarity/wire-mapping.js';
import { startClaritySandbox, type RunningClaritySandbox } from '../../../sandbox/clarity/index.js';
import { eventually } from '../../support/eventually.js';
import { control } from './support.js';

/*
 * The contract document is the third party between the connector and the sandbox: the
 * sandbox's answers and webhook payloads are validated against its schemas, and every route
 * the connector calls must be in it.
 */
interface Operation {
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
}
interface Contract {
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: Operation }>;
  components: { schemas: Record<string, unknown> };
}

const contract = parse(
  await readFile(new URL('../../../connectors/clarity/contract/clarity-openapi.yaml', import.meta.url), 'utf8'),
) as Contract;
const schemaId = 'https://contract.clarity.test/schemas';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(
  JSON.parse(
    JSON.stringify({ $id: schemaId, $defs: contract.components.schemas }).replaceAll('#/components/schemas/', `${schemaId}#/$defs/`),
  ) as object,
);

function schemaOf(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', `${schemaId}#/$defs/`)) as unknown;
}

function assertMatches(schema: unknown, value: unknown, what: string): void {
  const validate = ajv.compile(schemaOf(schema) as object);
  const valid = validate(value);
  expect(valid, `${what}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

let sandbox: RunningClaritySandbox;
let token: string;

beforeAll(async () => {
  sandbox = await startClaritySandbox({ port: 0, controlEnabled: true });
  const response = await fetch(`${sandbox.url}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from('demo-clarity-client:demo-clarity-secret').toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  const body = (await response.json()) as { access_token: string };
  assertMatches(contract.paths['/oauth/token']!.post!.responses['200']!.content!['application/json']!.schema, body, 'token');
  token = body.access_token;
});

afterAll(async () => {
  await sandbox.close();
});

async function call(method: string, url: string, body?: unknown, extraHeaders: Record<string, string> = {}) {
  const response = await fetch(`${sandbox.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...extraHeaders },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: response.status === 204 ? undefined : await response.json(),
  };
}

describe('Clarity contract document', () => {
  it('when the connector calls a route then the contract defines it', () => {
    const templates = new Set(Object.keys(contract.paths).map((template) => template.replace(/\{[^}]+\}/g, 'x')));
    const used = Object.values(clarityRoutes).map((route) => (typeof route === 'function' ? route('x') : route));
    expect(used.filter((path) => !templates.has(path))).toEqual([]);
  });

  it.each([
    ['get', '/api/v1/orders', '/api/v1/orders?limit=2'],
    ['get', '/api/v1/orders/{orderId}', '/api/v1/orders/CO-100003'],
    ['get', '/api/v1/orders/{orderId}', '/api/v1/orders/CO-100002'],
    ['get', '/api/v1/orders/{orderId}/transactions', '/api/v1/orders/CO-100003/transactions'],
    ['get', '/api/v1/orders/{orderId}/shipments', '/api/v1/orders/CO-100003/shipments'],
    ['get', '/api/v1/products', '/api/v1/products?limit=3'],
    ['get', '/api/v1/products/{sku}', '/api/v1/products/STICKER-PACK-5'],
    ['get', '/api/v1/inventory', '/api/v1/inventory'],
    ['get', '/api/v1/customers', '/api/v1/customers?email=jane.doe@example.com'],
    ['get', '/api/v1/customers/{customerId}', '/api/v1/customers/CU-2002'],
    ['get', '/api/v1/returns', '/api/v1/returns'],
    ['get', '/api/v1/returns/{returnId}', '/api/v1/returns/RMA-3001'],
    ['get', '/api/v1/coupons/{code}', '/api/v1/coupons/WELCOME5'],
    ['get', '/api/v1/webhooks', '/api/v1/webhooks'],
  ])('when the sandbox answers %s %s then the body matches the contract', async (method, template, url) => {
    const answer = await call(method.toUpperCase(), url);
    expect(answer.status).toBe(200);
    assertMatches(contract.paths[template]![method]!.responses['200']!.content!['application/json']!.schema, answer.body, url);
  });

  it('when the sandbox answers writes then each body matches the contract', async () => {
    const writes: [string, string, string, string, unknown][] = [
      ['patch', '/api/v1/orders/{orderId}', '/api/v1/orders/CO-100005', '200', { erpReference: 'SO-1' }],
      [
        'post',
        '/api/v1/orders/{orderId}/shipments',
        '/api/v1/orders/CO-100005/shipments',
        '201',
        {
          shipmentId: 'SH-C-1',
          carrier: 'USPS',
          trackingNumber: '9400',
          shippedAt: '2026-11-20T10:00:00Z',
          lineItems: [{ sku: 'TSHIRT-WHT-M', quantity: 1 }],
        },
      ],
      ['put', '/api/v1/inventory/{sku}', '/api/v1/inventory/TOTE-NAT-OS', '200', { available: 11 }],
      ['patch', '/api/v1/products/{sku}', '/api/v1/products/TOTE-NAT-OS', '200', { name: 'Canvas Tote', price: '12.00', active: true }],
      [
        'post',
        '/api/v1/inventory:batch',
        '/api/v1/inventory:batch',
        '200',
        {
          items: [
            { sku: 'TOTE-NAT-OS', available: 12 },
            { sku: 'NOPE', available: 1 },
          ],
        },
      ],
      [
        'post',
        '/api/v1/webhooks',
        '/api/v1/webhooks',
        '201',
        { url: 'https://receiver.example/hook', events: ['order.created'], description: 'contract test' },
      ],
    ];
    for (const [method, template, url, status, body] of writes) {
      const operation = contract.paths[template]![method]!;
      assertMatches(operation.requestBody!.content['application/json']!.schema, body, `request ${method} ${url}`);
      const answer = await call(method.toUpperCase(), url, body, { 'idempotency-key': `contract-${method}-${url}` });
      expect(answer.status, url).toBe(Number(status));
      assertMatches(operation.responses[status]!.content!['application/json']!.schema, answer.body, `${method} ${url}`);
    }
  });

  it.each([
    ['GET', '/api/v1/orders/CO-0', undefined, 404],
    ['GET', '/api/v1/orders?limit=0', undefined, 400],
    ['POST', '/api/v1/orders/CO-100001/shipments', { shipmentId: 'x' }, 422],
    ['PUT', '/api/v1/inventory/TSHIRT-BLK-M', { available: -1 }, 422],
    ['PATCH', '/api/v1/products/NO-SUCH-SKU', { price: '1.00' }, 404],
    ['PATCH', '/api/v1/products/CAP-NVY-OS', { price: '19.9' }, 422],
    ['PATCH', '/api/v1/products/CAP-NVY-OS', { price: '-1.00' }, 422],
    ['PATCH', '/api/v1/products/CAP-NVY-OS', { name: '' }, 422],
    ['PATCH', '/api/v1/products/CAP-NVY-OS', { available: 3 }, 422],
    ['PATCH', '/api/v1/products/CAP-NVY-OS', {}, 422],
  ])('when the sandbox refuses %s %s then it answers problem+json per the contract', async (method, url, body, status) => {
    const answer = await call(method, url, body);
    expect(answer.status).toBe(status);
    expect(answer.contentType).toContain('application/problem+json');
    assertMatches({ $ref: '#/components/schemas/Problem' }, answer.body, url);
  });

  it('when a write body is not JSON then the answer is a 415 problem', async () => {
    const response = await fetch(`${sandbox.url}/api/v1/inventory/TSHIRT-BLK-M`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: 'available=3',
    });
    expect(response.status).toBe(415);
    assertMatches({ $ref: '#/components/schemas/Problem' }, await response.json(), '415');
  });

  it('when the token is missing then the 401 is problem+json with a Bearer challenge', async () => {
    const response = await fetch(`${sandbox.url}/api/v1/orders`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    assertMatches({ $ref: '#/components/schemas/Problem' }, await response.json(), 'missing token');
  });

  it('when events are delivered then every payload matches its webhook schema in the contract', async () => {
    const received: { type: string; body: unknown }[] = [];
    const { createServer } = await import('node:http');
    const receiver = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      request.on('end', () => {
        const body = JSON.parse(raw) as { type: string };
        received.push({ type: body.type, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = receiver.address() as { port: number };
      await call(
        'POST',
        '/api/v1/webhooks',
        { url: `http://127.0.0.1:${port}/hook`, events: ['order.created', 'order.updated', 'product.updated', 'return.created'] },
        { 'idempotency-key': 'contract-events' },
      );
      const order = await control<{ orderId: string }>(sandbox.url, 'POST', '/orders', {
        customerId: 'CU-2003',
        lineItems: [{ sku: 'MUG-WHT-11OZ', quantity: 2 }],
      });
      await control(sandbox.url, 'POST', `/orders/${order.orderId}/status`, { status: 'cancelled' });
      await control(sandbox.url, 'PATCH', '/products/CAP-NVY-OS', { price: '21.99' });
      await control(sandbox.url, 'POST', '/returns', {
        orderId: 'CO-100001',
        lineItems: [{ sku: 'MUG-WHT-11OZ', quantity: 1, reason: 'chipped' }],
        status: 'refunded',
      });
      await eventually(() => received.length >= 4, { what: 'four webhooks received' });
      expect(received.map((event) => event.type).sort()).toEqual(['order.created', 'order.updated', 'product.updated', 'return.created']);
      for (const event of received)
        assertMatches(contract.webhooks[event.type]!.post.requestBody!.content['application/json']!.schema, event.body, event.type);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it.each([
    [
      'a wrong secret',
      'Basic ' + Buffer.from('demo-clarity-client:nope').toString('base64'),
      'grant_type=client_credentials',
      401,
      'invalid_client',
    ],
    [
      'an unknown client',
      'Basic ' + Buffer.from('someone:else').toString('base64'),
      'grant_type=client_credentials',
      401,
      'invalid_client',
    ],
    [
      'another grant type',
      'Basic ' + Buffer.from('demo-clarity-client:demo-clarity-secret').toString('base64'),
      'grant_type=password',
      400,
      'unsupported_grant_type',
    ],
    [
      'no grant type',
      'Basic ' + Buffer.from('demo-clarity-client:demo-clarity-secret').toString('base64'),
      'scope=orders%3Aread',
      400,
      'invalid_request',
    ],
    [
      'a scope not granted',
      'Basic ' + Buffer.from('demo-clarity-readonly:demo-clarity-readonly-secret').toString('base64'),
      'grant_type=client_credentials&scope=inventory%3Awrite',
      400,
      'invalid_scope',
    ],
  ])('when the token request has %s then the OAuth error matches the contract', async (_case, authorization, form, status, error) => {
    const response = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
      body: form,
    });
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: string };
    expect(body.error).toBe(error);
    assertMatches(contract.paths['/oauth/token']!.post!.responses[String(status)]!.content!['application/json']!.schema, body, error);
    if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('when client_secret_post is used then a token is issued', async () => {
    const response = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=demo-clarity-client&client_secret=demo-clarity-secret&scope=orders%3Aread',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'orders:read' });
  });
});

describe('Clarity product write (PATCH /products/{sku}, a proposal addition)', () => {
  const product = async (sku: string) =>
    (await call('GET', `/api/v1/products/${sku}`)).body as { name: string; price: string; active: boolean; updatedAt: string };

  it('when a write names bad fields then the 422 problem names each of them', async () => {
    const answer = await call(
      'PATCH',
      '/api/v1/products/MUG-BLK-15OZ',
      { price: '16', active: 'yes' },
      { 'idempotency-key': 'product-bad-fields' },
    );
    expect(answer.status).toBe(422);
    expect((answer.body as { errors: { field: string }[] }).errors.map((error) => error.field).sort()).toEqual(['active', 'price']);
  });

  it('when the same write is sent again under its key then the first answer is replayed and nothing is written twice', async () => {
    const body = { price: '17.25' };
    const first = await call('PATCH', '/api/v1/products/MUG-BLK-15OZ', body, { 'idempotency-key': 'product-replay-1' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ sku: 'MUG-BLK-15OZ', price: '17.25' });
    // The merchant changes the price after the write; a replayed write must not undo the merchant.
    await control(sandbox.url, 'PATCH', '/products/MUG-BLK-15OZ', { price: '18.00' });

    const response = await fetch(`${sandbox.url}/api/v1/products/MUG-BLK-15OZ`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'product-replay-1' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('idempotent-replayed')).toBe('true');
    expect(await response.json()).toEqual(first.body);
    expect((await product('MUG-BLK-15OZ')).price).toBe('18.00');

    const reused = await call('PATCH', '/api/v1/products/MUG-BLK-15OZ', { price: '19.00' }, { 'idempotency-key': 'product-replay-1' });
    expect(reused.status).toBe(409);
    expect((await product('MUG-BLK-15OZ')).price).toBe('18.00');
  });

  it('when a write sets values the product already has then nothing changes', async () => {
    const before = await product('TSHIRT-BLK-L');
    const answer = await call(
      'PATCH',
      '/api/v1/products/TSHIRT-BLK-L',
      { name: before.name, price: before.price, active: before.active },
      { 'idempotency-key': 'product-same' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(before);
  });

  it('when a client without products:write writes then it gets 403 insufficient_scope', async () => {
    const tokenResponse = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('demo-clarity-readonly:demo-clarity-readonly-secret').toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token: readOnly } = (await tokenResponse.json()) as { access_token: string };
    const response = await fetch(`${sandbox.url}/api/v1/products/CAP-NVY-OS`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${readOnly}`, 'content-type': 'application/json' },
      body: JSON.stringify({ price: '1.00' }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('insufficient_scope');
  });

  it('when an integration writes a product then no product.updated is sent, while a merchant change is', async () => {
    const received: string[] = [];
    const { createServer } = await import('node:http');
    const receiver = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      request.on('end', () => {
        received.push((JSON.parse(raw) as { data: { sku: string } }).data.sku);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = receiver.address() as { port: number };
      const subscription = await call(
        'POST',
        '/api/v1/webhooks',
        { url: `http://127.0.0.1:${port}/hook`, events: ['product.updated'] },
        { 'idempotency-key': 'product-echo' },
      );
      const written = await call(
        'PATCH',
        '/api/v1/products/HOODIE-GRY-L',
        { name: 'Pullover Hoodie, Grey, L', price: '59.00' },
        { 'idempotency-key': 'product-echo-write' },
      );
      expect(written.status).toBe(200);
      await control(sandbox.url, 'PATCH', '/products/TSHIRT-WHT-M', { price: '27.00' });
      await eventually(() => received.length >= 1, { what: 'the merchant change delivered' });
      const deliveries = await control<{ data: { eventType: string; body: string }[] }>(sandbox.url, 'GET', '/webhook-deliveries');
      expect(deliveries.data.filter((delivery) => delivery.body.includes('HOODIE-GRY-L'))).toEqual([]);
      expect(received).toEqual(['TSHIRT-WHT-M']);
      await call('DELETE', `/api/v1/webhooks/${(subscription.body as { id: string }).id}`);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
