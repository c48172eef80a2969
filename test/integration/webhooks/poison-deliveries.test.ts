import { createHmac, randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import Long from 'long';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProductApp } from '../../../api/product-app.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { ConnectorClients } from '../../../connectors/clients.js';
import type { Config } from '../../../config/index.js';
import { issueApiKey } from '../../../store/api-keys.js';
import { CredentialCipher } from '../../../store/credential-cipher.js';
import { saveCredentials } from '../../../store/credentials.js';
import { createTenant } from '../../../store/tenants.js';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { searchAttributeRegistrations } from '../../../workflows/search-attributes.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';
import { sandboxEndpoints } from '../../support/vendor-endpoints.js';

const bootstrapApiKey = 'poison-test-bootstrap-key-0123456789';

/**
 * Poison deliveries at the product API as it runs (receivers, delivery log and dead letters on
 * FerretDB, the dispatcher on the Temporal dev server): ids and SKUs no workflow can be named
 * after are refused with 400, and a delivery Temporal itself refuses is acknowledged, kept as a
 * dead letter and replayed by an operator once the cause is fixed. None is ever answered 503.
 */
describe('poison webhooks against the product API', () => {
  let config: Config;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let api: RunningServer;
  /** The same product over a namespace lacking the product's search attributes: Temporal refuses every start there. */
  let refusingConnection: Connection;
  let refusingNamespace: string;
  let refusingApi: RunningServer;
  const bigCommerceTenant = uniqueId('bc');
  const clarityTenant = uniqueId('cl');
  const bigCommerceSecret = randomBytes(24).toString('base64url');
  const claritySecret = `whsec_${randomBytes(32).toString('base64')}`;

  beforeAll(async () => {
    config = testConfig();
    database = await openTestDatabase(config);
    client = await connectTestClient(config);
    const cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
    const logger = pino({ level: 'silent' });
    for (const [id, storefront, secret] of [
      [bigCommerceTenant, 'bigcommerce', bigCommerceSecret],
      [clarityTenant, 'clarity', claritySecret],
    ] as const) {
      await createTenant(database.db, { id, name: id, storefront });
      await saveCredentials(database.db, cipher, id, 'webhook', { secrets: [{ secret, createdAt: new Date().toISOString() }] });
    }
    const temporal = { client, taskQueue: config.temporal.taskQueue };
    api = await listen(
      createProductApp({
        logger,
        db: database.db,
        cipher,
        connectors: new ConnectorClients({ endpoints: sandboxEndpoints({}) }),
        temporal,
        bootstrapApiKey,
      }),
      0,
      '127.0.0.1',
    );

    refusingNamespace = uniqueId('no-search-attributes');
    refusingConnection = await Connection.connect({ address: config.temporal.address! });
    await refusingConnection.workflowService.registerNamespace({
      namespace: refusingNamespace,
      workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(86_400) },
    });
    // A new namespace reaches every part of the server's cache a moment after it is registered.
    const refusingClient = new Client({ connection: refusingConnection, namespace: refusingNamespace });
    await eventually(() => refusingClient.workflow.count(), { what: `namespace ${refusingNamespace} to answer`, intervalMs: 200 });
    refusingApi = await listen(
      createProductApp({
        logger,
        db: database.db,
        cipher,
        connectors: new ConnectorClients({ endpoints: sandboxEndpoints({}) }),
        temporal: { client: refusingClient, taskQueue: config.temporal.taskQueue },
        bootstrapApiKey,
      }),
      0,
      '127.0.0.1',
    );
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await refusingApi?.close();
    await refusingConnection?.close();
    await client?.close();
    await database?.drop();
  });

  const bigCommerce = async (
    server: RunningServer,
    data: Record<string, unknown>,
    scope = 'store/order/created',
    hash = randomBytes(20).toString('hex'),
  ) => {
    const response = await fetch(`${server.url}/webhooks/bigcommerce/${bigCommerceTenant}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Webhook-Secret': bigCommerceSecret },
      body: JSON.stringify({
        scope,
        store_id: '1001',
        data,
        hash,
        created_at: Math.floor(Date.now() / 1000),
        producer: 'stores/poison',
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const clarity = async (server: RunningServer, type: string, data: Record<string, unknown>) => {
    const id = uniqueId('evt');
    const timestamp = String(Math.floor(Date.now() / 1000));
    const body = JSON.stringify({ id, type, timestamp: new Date().toISOString(), data });
    const key = Buffer.from(claritySecret.slice('whsec_'.length), 'base64');
    const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
    const response = await fetch(`${server.url}/webhooks/clarity/${clarityTenant}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': timestamp,
        'webhook-signature': `v1,${signature}`,
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const admin = async (server: RunningServer, method: string, path: string, key = bootstrapApiKey) => {
    const response = await fetch(`${server.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${key}` } });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
  };

  describe('ids and SKUs no workflow can be named after are refused at the receiver', () => {
    it('when a BigCommerce order id has 1,200 digits then the answer is 400 naming data.id, not a 503 the store retries', async () => {
      const answer = await bigCommerce(api, { type: 'order', id: '9'.repeat(1_200) });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_webhook');
      expect(answer.body.error.message).toContain('id: expected a numeric id of at most 20 digits');
    });

    it('when a BigCommerce product or shipment names a 1,200-digit id then the answer is 400', async () => {
      expect((await bigCommerce(api, { type: 'product', id: '1'.repeat(1_200) }, 'store/product/updated')).status).toBe(400);
      expect((await bigCommerce(api, { type: 'shipment', id: 1, orderId: '2'.repeat(1_200) }, 'store/shipment/created')).status).toBe(400);
    });

    it('when a BigCommerce id is a number beyond the safe integers then the answer is 400 (its text would not be the id sent)', async () => {
      expect((await bigCommerce(api, { type: 'order', id: 1e21 })).status).toBe(400);
    });

    it('when a Clarity SKU has 1,500 characters then the answer is 400 naming data.sku', async () => {
      const answer = await clarity(api, 'product.updated', { productId: 'P-1', sku: 'S'.repeat(1_500), changedFields: ['price'] });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_event');
      expect(answer.body.error.message).toContain('data.sku');
    });

    it('when a Clarity SKU holds a lone surrogate or a control character then the answer is 400', async () => {
      for (const sku of ['SKU-\ud800', 'SKU-\udfff-X', 'SKU\n1', 'SKU\u0000']) {
        const answer = await clarity(api, 'product.updated', { productId: 'P-1', sku, changedFields: ['price'] });
        expect({ sku, status: answer.status }).toEqual({ sku, status: 400 });
      }
    });

    it('when a Clarity order id has 1,200 characters then the answer is 400', async () => {
      expect((await clarity(api, 'order.created', { orderId: 'C'.repeat(1_200), status: 'processing' })).status).toBe(400);
    });

    it('when a SKU is long but within the bound, with spaces and accents, then it is accepted', async () => {
      const answer = await clarity(api, 'product.updated', {
        productId: 'P-1',
        sku: `Café crème ${'x'.repeat(200)}`,
        changedFields: ['price'],
      });
      expect(answer).toEqual({ status: 200, body: { received: true, outcome: 'signalled' } });
    });
  });

  describe('a delivery Temporal refuses as invalid', () => {
    const orderId = String(700_000 + Math.floor(Math.random() * 100_000));
    let deadLetterId: string;

    it('when Temporal refuses the start then the delivery is answered 200 dead-lettered, and a copy is a duplicate', async () => {
      const hash = randomBytes(20).toString('hex');
      const answer = await bigCommerce(refusingApi, { type: 'order', id: Number(orderId) }, 'store/order/created', hash);
      expect(answer).toEqual({ status: 200, body: { outcome: 'dead-lettered' } });
      const copy = await bigCommerce(refusingApi, { type: 'order', id: Number(orderId) }, 'store/order/created', hash);
      expect(copy).toEqual({ status: 200, body: { outcome: 'duplicate' } });
    });

    it('when the dead letters are listed then the delivery is there with Temporal’s reason, for its tenant only', async () => {
      const listed = await admin(refusingApi, 'GET', `/tenants/${bigCommerceTenant}/webhook-dead-letters`);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toHaveLength(1);
      const [letter] = listed.body.items;
      expect(letter).toMatchObject({
        storefront: 'bigcommerce',
        topic: 'store/order/created',
        entity: 'order',
        entityId: orderId,
        state: 'dead',
      });
      expect(letter.reason).toMatch(/search attribute/i);
      deadLetterId = letter.id;

      const otherTenantKey = await issueApiKey(database.db, {
        name: 'clarity operator',
        role: 'operator',
        tenantId: clarityTenant,
        createdBy: 'test',
      });
      expect((await admin(refusingApi, 'GET', `/tenants/${bigCommerceTenant}/webhook-dead-letters`, otherTenantKey.token)).status).toBe(
        404,
      );
      expect(
        (
          await admin(
            refusingApi,
            'POST',
            `/tenants/${bigCommerceTenant}/webhook-dead-letters/${deadLetterId}/replay`,
            otherTenantKey.token,
          )
        ).status,
      ).toBe(404);
      expect((await admin(refusingApi, 'GET', `/tenants/${clarityTenant}/webhook-dead-letters`)).body.items).toEqual([]);
    });

    it('when it is replayed before the cause is fixed then the answer is 422 with the reason, and it stays dead', async () => {
      const replayed = await admin(refusingApi, 'POST', `/tenants/${bigCommerceTenant}/webhook-dead-letters/${deadLetterId}/replay`);
      expect(replayed.status).toBe(422);
      expect(replayed.body.error.code).toBe('replay_refused');
      expect(replayed.body.error.message).toMatch(/search attribute/i);
      const listed = await admin(refusingApi, 'GET', `/tenants/${bigCommerceTenant}/webhook-dead-letters`);
      expect(listed.body.items[0]).toMatchObject({ id: deadLetterId, state: 'dead', replays: 1 });
    });

    it('when the cause is fixed and it is replayed then its workflow starts, and a second replay is refused as done', async () => {
      await refusingConnection.operatorService.addSearchAttributes({
        namespace: refusingNamespace,
        searchAttributes: Object.fromEntries(Object.keys(searchAttributeRegistrations).map((name) => [name, 2 /* KEYWORD */])),
      });
      // The new attributes reach the frontend's cache a moment after they are added.
      const replayed = await eventually(
        () => admin(refusingApi, 'POST', `/tenants/${bigCommerceTenant}/webhook-dead-letters/${deadLetterId}/replay`),
        {
          until: (answer) => answer.status !== 422,
          what: 'the replay to find the new search attributes',
          timeoutMs: 10_000,
          intervalMs: 200,
        },
      );
      expect(replayed.status).toBe(200);
      expect(replayed.body).toMatchObject({ outcome: 'signalled', deadLetter: { id: deadLetterId, state: 'replayed' } });

      const refusingClient = new Client({ connection: refusingConnection, namespace: refusingNamespace });
      const workflow = await refusingClient.workflow.getHandle(orderToCashWorkflowId(bigCommerceTenant, orderId)).describe();
      expect(workflow.type).toBe('orderToCash');
      await refusingClient.workflow.getHandle(orderToCashWorkflowId(bigCommerceTenant, orderId)).terminate('test over');

      const again = await admin(refusingApi, 'POST', `/tenants/${bigCommerceTenant}/webhook-dead-letters/${deadLetterId}/replay`);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('already_replayed');
    });

    it('when the dead letter id is unknown then the replay is 404', async () => {
      const answer = await admin(refusingApi, 'POST', `/tenants/${bigCommerceTenant}/webhook-dead-letters/bigcommerce:nothing/replay`);
      expect(answer.status).toBe(404);
    });
  });
});
