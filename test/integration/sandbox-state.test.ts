import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createCustomer,
  findCustomerById,
  IntacctClient,
  InMemorySessionCache,
  InMemoryTransactionCounter,
} from '../../connectors/intacct/index.js';
import { startBigCommerceSandbox } from '../../sandbox/bigcommerce/index.js';
import { startClaritySandbox } from '../../sandbox/clarity/index.js';
import { startIntacctSandbox } from '../../sandbox/intacct/index.js';
import { removeLocalState } from '../../sandbox/state-file.js';
import { demoCredentials, uniqueId } from './intacct/support.js';

/**
 * The sandboxes keep their world in a state file when told to (as `npm start` does), so a
 * restart finds what the product wrote before it; without one (the default, and every other
 * test) each start is the seed. Each sandbox is started on a free port through its own start
 * function, stopped and started again on the same file.
 */
describe('sandbox state across restarts', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'sandbox-state-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  describe('Intacct', () => {
    const start = (stateFile?: string) => startIntacctSandbox({ port: 0, controlEnabled: true, ...(stateFile && { stateFile }) });
    const clientOf = (url: string) =>
      new IntacctClient({
        tenantId: 'tenant-a',
        endpoint: `${url}/ia/xml/xmlgw.phtml`,
        credentials: demoCredentials,
        transactionCounter: new InMemoryTransactionCounter(),
        sessionCache: new InMemorySessionCache(),
        timeoutMs: 10_000,
      });
    const customer = (customerId: string) => ({ customerId, name: 'Persisted Customer', email: 'persisted@example.com' });

    it('when a customer is created and the sandbox restarts on its state file, then the customer and its control id are still there', async () => {
      const stateFile = path.join(directory, 'intacct.json');
      const customerId = uniqueId('C');
      const controlId = `create-${customerId}`;
      const first = await start(stateFile);
      await createCustomer(clientOf(first.url), customer(customerId), controlId);
      await first.close();

      const second = await start(stateFile);
      try {
        const client = clientOf(second.url);
        expect(await findCustomerById(client, customerId)).toMatchObject({ customerId, email: 'persisted@example.com' });
        // The control id was recorded before the restart: the same create is answered "already recorded".
        expect(await createCustomer(client, customer(customerId), controlId)).toMatchObject({ created: false });
      } finally {
        await second.close();
      }
    });

    it('when the sandbox is reset through its control API, or its state removed (--fresh), then the next start is the seed', async () => {
      const stateFile = path.join(directory, 'intacct.json');
      const [resetId, freshId] = [uniqueId('C'), uniqueId('C')];
      const first = await start(stateFile);
      await createCustomer(clientOf(first.url), customer(resetId), `create-${resetId}`);
      expect((await fetch(`${first.url}/__control/reset`, { method: 'POST' })).status).toBe(200);
      await first.close();
      const second = await start(stateFile);
      expect(await findCustomerById(clientOf(second.url), resetId)).toBeUndefined();
      await createCustomer(clientOf(second.url), customer(freshId), `create-${freshId}`);
      await second.close();

      removeLocalState(directory);
      const third = await start(stateFile);
      try {
        expect(await findCustomerById(clientOf(third.url), freshId)).toBeUndefined();
        expect(await findCustomerById(clientOf(third.url), 'C-1001')).toMatchObject({ customerId: 'C-1001' });
      } finally {
        await third.close();
      }
    });

    it('when no state file is given, then nothing is written and a restart is the seed', async () => {
      const customerId = uniqueId('C');
      const first = await start();
      await createCustomer(clientOf(first.url), customer(customerId), `create-${customerId}`);
      await first.close();
      const second = await start();
      try {
        expect(await findCustomerById(clientOf(second.url), customerId)).toBeUndefined();
        expect(await readdir(directory)).toEqual([]);
      } finally {
        await second.close();
      }
    });
  });

  describe('BigCommerce', () => {
    const start = (stateFile: string) => startBigCommerceSandbox({ port: 0, controlEnabled: true, stateFile });
    const call = async (url: string, method: string, route: string, body?: unknown) => {
      const response = await fetch(`${url}/stores/demostore${route}`, {
        method,
        headers: { 'x-auth-token': 'demo-bc-token', accept: 'application/json', 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const newOrder = {
      customer_id: 2,
      status_id: 11,
      billing_address: {
        first_name: 'John',
        last_name: 'Smith',
        street_1: '12 Market St',
        city: 'Austin',
        state: 'Texas',
        zip: '78701',
        country: 'United States',
        country_iso2: 'US',
        email: 'john.smith@example.com',
      },
      products: [{ product_id: 112, quantity: 1 }],
    };

    it('when an order is placed and the sandbox restarts on its state file, then the order is there as it was and the next order takes the next id; a reset is the seed', async () => {
      const stateFile = path.join(directory, 'bigcommerce.json');
      const first = await start(stateFile);
      const placed = await call(first.url, 'POST', '/v2/orders', newOrder);
      expect(placed.status).toBe(201);
      const orderId = placed.body.id as number;
      await first.close();

      const second = await start(stateFile);
      const read = await call(second.url, 'GET', `/v2/orders/${orderId}`);
      expect(read.status).toBe(200);
      // The same order (dates included), its resource links on the new port.
      expect(JSON.parse(JSON.stringify(read.body).replaceAll(second.url, first.url))).toEqual(placed.body);
      expect((await call(second.url, 'POST', '/v2/orders', newOrder)).body.id).toBe(orderId + 1);
      expect((await fetch(`${second.url}/_control/reset`, { method: 'POST' })).status).toBeLessThan(300);
      await second.close();

      const third = await start(stateFile);
      try {
        expect((await call(third.url, 'GET', `/v2/orders/${orderId}`)).status).toBe(404);
      } finally {
        await third.close();
      }
    });
  });

  describe('Clarity', () => {
    const start = (stateFile: string) => startClaritySandbox({ port: 0, controlEnabled: true, stateFile });
    const readOrder = async (url: string, orderId: string) => {
      const token = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from('demo-clarity-client:demo-clarity-secret').toString('base64')}`,
        },
        body: 'grant_type=client_credentials',
      });
      const { access_token: accessToken } = (await token.json()) as { access_token: string };
      const response = await fetch(`${url}/api/v1/orders/${orderId}`, { headers: { authorization: `Bearer ${accessToken}` } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    it('when an order is placed and the sandbox restarts on its state file, then the order is there as it was; a reset is the seed', async () => {
      const stateFile = path.join(directory, 'clarity.json');
      const first = await start(stateFile);
      const placed = await fetch(`${first.url}/_sandbox/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customerId: 'CU-2003', lineItems: [{ sku: 'MUG-WHT-11OZ', quantity: 2 }] }),
      });
      expect(placed.status).toBe(201);
      const { orderId } = (await placed.json()) as { orderId: string };
      const before = await readOrder(first.url, orderId);
      await first.close();

      const second = await start(stateFile);
      expect(await readOrder(second.url, orderId)).toEqual(before);
      expect((await fetch(`${second.url}/_sandbox/reset`, { method: 'POST' })).status).toBe(204);
      await second.close();

      const third = await start(stateFile);
      try {
        expect((await readOrder(third.url, orderId)).status).toBe(404);
      } finally {
        await third.close();
      }
    });
  });
});
