/**
 * Checks the sandbox's answers and the client's requests against BigCommerce's own OpenAPI
 * files (public repository bigcommerce/docs, `reference/`). Those files carry no licence, so
 * they are not in this repository and this is a script, not a test: point it at a checkout.
 *
 *   node --import tsx test/integration/bigcommerce/openapi-conformance.ts ../bigcommerce-docs/reference
 *
 * It drives every client call through a recording proxy in front of the sandbox, then
 * validates each request body and JSON response against the matching operation's schema.
 * Exit code 1 when anything does not conform.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import express from 'express';
import { parse as parseYaml } from 'yaml';
import { createBigCommerceClient } from '../../../connectors/bigcommerce/index.js';
import { startBigCommerceSandbox } from '../../../sandbox/bigcommerce/index.js';

type Json = Record<string, unknown>;
interface Exchange {
  version: 'v2' | 'v3';
  method: string;
  path: string;
  requestBody: unknown;
  status: number;
  contentType: string;
  responseBody: unknown;
}

const specFiles: Record<'v2' | 'v3', string[]> = {
  v2: ['orders.v2.oas2.yml'],
  v3: [
    'orders.v3.yml',
    'inventory.v3.yml',
    'webhooks.v3.yml',
    'customers.v3.yml',
    'catalog/products_catalog.v3.yml',
    'catalog/product-variants_catalog.v3.yml',
    'catalog/brands_catalog.v3.yml',
    'catalog/category-trees_catalog.v3.yml',
    'locations.v3.yml',
  ],
};

/** Places where the published files contradict each other; the sandbox follows the other one. */
const knownSpecConflicts: Record<string, string> = {
  'GET /orders/payment_actions/refunds/{refund_id}': 'items[].requested_amount is a number on create and list but a string here',
};

/** OpenAPI 3.0 schema → JSON Schema: `$ref`s inlined, `nullable` turned into a null type. */
function toJsonSchema(node: unknown, root: Json, seen: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((entry) => toJsonSchema(entry, root, seen));
  if (node === null || typeof node !== 'object') return node;
  const object = node as Json;
  if (typeof object.$ref === 'string') {
    if (seen.includes(object.$ref) || seen.length > 12) return {};
    const target = object.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((at, key) => (at as Json)[key], root);
    return toJsonSchema(target, root, [...seen, object.$ref]);
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'example' || key === 'examples' || key.startsWith('x-') || key === 'discriminator' || key === 'nullable') continue;
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Json).map(([name, schema]) => [name, toJsonSchema(schema, root, seen)]))
        : toJsonSchema(value, root, seen);
  }
  // OpenAPI 3.0 writes exclusive bounds as booleans beside minimum/maximum.
  for (const [exclusive, bound] of [
    ['exclusiveMaximum', 'maximum'],
    ['exclusiveMinimum', 'minimum'],
  ] as const) {
    if (typeof out[exclusive] === 'boolean') {
      if (out[exclusive] === true && typeof out[bound] === 'number') {
        out[exclusive] = out[bound];
        delete out[bound];
      } else delete out[exclusive];
    }
  }
  return object.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

function loadOperations(referenceDir: string) {
  const operations: {
    version: 'v2' | 'v3';
    file: string;
    template: string;
    pattern: RegExp;
    method: string;
    operation: Json;
    root: Json;
  }[] = [];
  for (const version of ['v2', 'v3'] as const) {
    for (const file of specFiles[version]) {
      const root = parseYaml(fs.readFileSync(path.join(referenceDir, file), 'utf8')) as Json;
      for (const [template, item] of Object.entries(root.paths as Json)) {
        const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
        for (const [method, operation] of Object.entries(item as Json)) {
          if (['get', 'put', 'post', 'delete'].includes(method))
            operations.push({ version, file, template, pattern, method: method.toUpperCase(), operation: operation as Json, root });
        }
      }
    }
  }
  // Literal segments beat parameters (`/orders/count` before `/orders/{order_id}`).
  return operations.sort((a, b) => ((b.template.match(/\{/g)?.length ?? 0) < (a.template.match(/\{/g)?.length ?? 0) ? 1 : -1));
}

async function record(sandboxUrl: string) {
  const exchanges: Exchange[] = [];
  const proxy = express();
  proxy.use(express.text({ type: () => true, limit: '10mb' }));
  proxy.use(async (request, response) => {
    const upstream = await fetch(`${sandboxUrl}${request.originalUrl}`, {
      method: request.method,
      headers: { 'X-Auth-Token': request.get('x-auth-token') ?? '', 'Content-Type': 'application/json' },
      ...(typeof request.body === 'string' && request.body !== '' && { body: request.body }),
    });
    const text = await upstream.text();
    const match = /^\/stores\/[^/]+\/(v2|v3)(\/[^?]*)/.exec(request.originalUrl);
    if (match) {
      exchanges.push({
        version: match[1] as 'v2' | 'v3',
        method: request.method,
        path: match[2]!,
        requestBody: typeof request.body === 'string' && request.body !== '' ? JSON.parse(request.body) : undefined,
        status: upstream.status,
        contentType: upstream.headers.get('content-type') ?? '',
        responseBody: text === '' ? undefined : JSON.parse(text),
      });
    }
    upstream.headers.forEach((value, key) => {
      if (key !== 'content-length' && key !== 'transfer-encoding' && key !== 'connection') response.setHeader(key, value);
    });
    response.status(upstream.status).send(text);
  });
  const server = proxy.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    exchanges,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Every client call the product makes, plus the error paths whose shapes matter. */
async function exercise(baseUrl: string) {
  const client = createBigCommerceClient({ credentials: { storeHash: 'demostore', accessToken: 'demo-bc-token' }, baseUrl });
  const swallow = (promise: Promise<unknown>) => promise.catch(() => undefined);
  // Writes the product does not make but tests seed through (metafields, custom fields, brands and categories).
  const send = (method: string, path: string, body: unknown) =>
    fetch(`${baseUrl}/stores/demostore/v3${path}`, {
      method,
      headers: { 'X-Auth-Token': 'demo-bc-token', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const post = (path: string, body: unknown) => send('POST', path, body);
  await client.orders.getOrder(100);
  await client.orders.getOrderWithConsignments(100);
  await client.orders.listOrders({ status_id: 11 });
  await client.orders.countOrders();
  await client.orders.listOrderProducts(100);
  await client.orders.listShippingAddresses(100);
  await client.orders.listCoupons(102);
  await client.orders.listShipments(102);
  await client.orders.createShipment(103, {
    order_address_id: 4,
    items: [{ order_product_id: 5, quantity: 1 }],
    tracking_number: 'T1',
    shipping_provider: 'ups',
  });
  await client.orders.updateStatus(101, 11);
  await client.orders.updateStaffNotes(101, 'Intacct SO-1');
  await swallow(client.orders.getOrder(9999));
  await post('/orders/100/metafields', { permission_set: 'read', namespace: 'erp', key: 'costCenter', value: 'CC-42' });
  await post('/orders/100/metafields', { permission_set: 'read', namespace: 'erp', key: 'costCenter', value: 'again' });
  await client.orders.listMetafields(100, ['erp']);
  await post('/catalog/products/111/custom-fields', { name: 'Product Line', value: 'Apparel' });
  await fetch(`${baseUrl}/stores/demostore/v3/catalog/products/111/custom-fields`, { headers: { 'X-Auth-Token': 'demo-bc-token' } });
  await client.catalog.listProducts({ ids: [111, 112], includeCustomFields: true });
  await send('PUT', '/catalog/products', [{ id: 114, brand_name: 'Northwind', categories: [22] }]);
  await client.catalog.listBrands({ ids: [35, 36] });
  await client.catalog.listCategories({ ids: [18, 19, 21] });
  await client.payments.listTransactions(100);
  const items = [{ item_type: 'PRODUCT' as const, item_id: 1, quantity: 1 }];
  const quote = await client.payments.createRefundQuote(100, { items });
  const refund = await client.payments.createRefund(100, {
    items,
    payments: [{ provider_id: 'testgateway', amount: quote.total_refund_amount, offline: false }],
  });
  await swallow(client.payments.createRefund(100, { items, payments: [{ provider_id: 'testgateway', amount: 1, offline: false }] }));
  await client.payments.listOrderRefunds(100);
  await client.payments.listRefunds({ orderIds: [100] });
  await client.payments.getRefund(refund.id);
  await client.customers.listCustomers({ includeAddresses: true });
  await client.catalog.listProducts({ includeVariants: true });
  await client.catalog.listVariants({ sku: 'TSHIRT-BLK-M' });
  await client.catalog.updateProducts([{ id: 112, price: 15.5 }]);
  await client.catalog.updateProducts([
    { id: 112, price: 15.5 },
    { id: 9999, price: 1 },
  ]);
  await client.catalog.listVariants({ skus: ['TSHIRT-BLK-M', 'MUG-CER-12OZ'] });
  await client.catalog.updateProducts([{ id: 113, name: 'Pullover Hoodie, Grey, L', is_visible: false, cost_price: 24 }]);
  await client.catalog.updateVariants([
    { id: 202, price: 26, cost_price: 9.5 },
    { id: 203, purchasing_disabled: true },
  ]);
  await swallow(client.catalog.updateVariants([{ id: 999_999, price: 1 }]));
  await client.inventory.setAbsoluteLevels(
    [
      { location_id: 1, sku: 'TSHIRT-BLK-M', quantity: 3 },
      { location_id: 1, product_id: 112, quantity: 5 },
    ],
    'conformance',
  );
  await swallow(client.inventory.setAbsoluteLevels([{ location_id: 1, product_id: 111, quantity: 5 }]));
  await client.inventory.listItems();
  await client.inventory.listLocations();
  const hook = await client.hooks.createHook({
    scope: 'store/order/created',
    destination: 'https://example.com/hook',
    is_active: true,
    headers: { 'X-Webhook-Secret': 's' },
  });
  await swallow(client.hooks.createHook({ scope: 'store/order/created' } as never));
  await client.hooks.listHooks();
  await client.hooks.getHook(hook.id);
  await client.hooks.updateHook(hook.id, { is_active: false });
  await client.hooks.deleteHook(hook.id);
}

async function main(): Promise<number> {
  const referenceDir = process.argv[2];
  if (!referenceDir || !fs.existsSync(path.join(referenceDir, 'orders.v2.oas2.yml'))) {
    console.error('usage: openapi-conformance.ts <bigcommerce/docs checkout>/reference');
    return 2;
  }
  const operations = loadOperations(referenceDir);
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  (addFormatsModule as unknown as (ajv: Ajv) => void)(ajv);
  for (const format of ['float', 'double', 'int32', 'int64', 'ISO-4217', 'string']) ajv.addFormat(format, true);
  const compile = (schema: unknown, root: Json): ValidateFunction => ajv.compile(toJsonSchema(schema, root) as object);

  const sandbox = await startBigCommerceSandbox({ port: 0, host: '127.0.0.1', controlEnabled: false });
  const proxy = await record(sandbox.url);
  let failures = 0;
  try {
    await exercise(proxy.url);
    for (const exchange of proxy.exchanges) {
      const operation = operations.find(
        (candidate) =>
          candidate.version === exchange.version && candidate.method === exchange.method && candidate.pattern.test(exchange.path),
      );
      const label = `${exchange.method} ${exchange.version}${exchange.path} → ${exchange.status}`;
      if (!operation) {
        console.log(`?  ${label}: no operation in the published files`);
        continue;
      }
      const problems: string[] = [];
      const requestSchema = ((operation.operation.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as
        Json | undefined;
      // Requests the script sends wrong on purpose (to see the error shape) are not checked.
      if (exchange.status < 400 && exchange.requestBody !== undefined && requestSchema?.schema) {
        const validate = compile(requestSchema.schema, operation.root);
        if (!validate(exchange.requestBody)) problems.push(`request: ${ajv.errorsText(validate.errors)}`);
      }
      let response = (operation.operation.responses as Json)[String(exchange.status)] as Json | undefined;
      if (response?.$ref) response = toJsonSchema(response, operation.root) as Json;
      const content = response?.content as Json | undefined;
      const media = (content?.[exchange.contentType.split(';')[0]!] ?? content?.['application/json']) as Json | undefined;
      if (exchange.responseBody !== undefined && media?.schema) {
        const validate = compile(media.schema, operation.root);
        if (!validate(exchange.responseBody)) problems.push(`response: ${ajv.errorsText(validate.errors)}`);
      } else if (exchange.responseBody !== undefined) {
        problems.push(
          response
            ? 'response: the published operation has no JSON schema for it (not checked)'
            : `response: status ${exchange.status} is not documented`,
        );
      }
      const conflict = knownSpecConflicts[`${exchange.method} ${operation.template}`];
      const hard = conflict ? [] : problems.filter((problem) => !problem.includes('not checked'));
      if (conflict && problems.length > 0) problems.push(`known conflict in the published files: ${conflict}`);
      failures += hard.length;
      console.log(
        `${hard.length ? 'x ' : 'ok'} ${label} [${operation.file} ${operation.template}]${problems.length ? `\n     ${problems.join('\n     ')}` : ''}`,
      );
    }
  } finally {
    await proxy.close();
    await sandbox.close();
  }
  console.log(failures === 0 ? 'all exchanges conform' : `${failures} problem(s)`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
