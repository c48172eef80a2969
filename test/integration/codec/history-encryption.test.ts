import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { fromHistoryPayload } from '../../support/history-payloads.js';
import { startOrderToCashStack, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/** A buyer whose every personal field is unmistakable in a byte scan. */
const buyer = {
  first_name: 'Wilhelmina',
  last_name: 'Quackenbush',
  street_1: '742 Evergreen Terrace',
  city: 'Springfield',
  state: 'Texas',
  zip: '78701',
  country: 'United States',
  country_iso2: 'US',
  phone: '512-555-0199',
  email: 'w.quackenbush@example.org',
};
const personalData = [buyer.email, buyer.first_name, buyer.last_name, buyer.street_1, buyer.phone];

describe("Temporal's history holds no readable personal data (payloads encrypted at rest)", () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  let orderId: string;

  beforeAll(async () => {
    stack = await startOrderToCashStack();
    tenantId = await stack.createTenant('bigcommerce');
    await stack.registerWebhooks(tenantId);
    const created = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: 0,
      status_id: 11,
      billing_address: buyer,
      products: [{ product_id: 112, quantity: 1 }],
    });
    expect(created.status).toBe(201);
    orderId = String((created.body as { id: number }).id);
    // The product's own client decrypts: the order's status query reads through the codec.
    await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment', 90_000);
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  it("when an order's history is read raw from the Temporal server, then no email, name, street or phone appears, and every payload is encrypted", async () => {
    // A client with no codec, as anyone with Temporal access (or its database) reads it.
    const connection = await Connection.connect({ address: stack.config.temporal.address! });
    try {
      const raw = new Client({ connection, namespace: stack.config.temporal.namespace });
      const response = await raw.workflowService.getWorkflowExecutionHistory({
        namespace: stack.config.temporal.namespace,
        execution: { workflowId: orderToCashWorkflowId(tenantId, orderId) },
      });
      const history = temporal.api.history.v1.History.create(response.history ?? {});
      const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
      for (const value of personalData) expect(bytes, value).not.toContain(value);

      const payloads = collectPayloads(history);
      expect(payloads.length).toBeGreaterThan(5);
      for (const payload of payloads) expect(Buffer.from(payload.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');

      // The scan would find them: decrypted with the key, the same history names the order and the buyer.
      const decrypted = JSON.stringify(await Promise.all(payloads.map((payload) => fromHistoryPayload(payload))));
      expect(decrypted).toContain(orderId);
      expect(personalData.some((value) => decrypted.includes(value))).toBe(true);
    } finally {
      await connection.close();
    }
  });
});

/** Every payload of the product's in a history (inputs, results, signals, memos), found by walking the events. */
function collectPayloads(history: temporal.api.history.v1.IHistory): temporal.api.common.v1.IPayload[] {
  const found: temporal.api.common.v1.IPayload[] = [];
  const walk = (value: unknown, key: string): void => {
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
    if (key === 'payloads' && Array.isArray(value)) {
      found.push(...(value as temporal.api.common.v1.IPayload[]));
      return;
    }
    // Search attributes are indexed by the server and never encrypted; they hold ids only (workflows/search-attributes.ts).
    // The SDK writes its own patch markers (`patch-data`: the patch's name) outside the data converter.
    if (key === 'searchAttributes' || key === 'patch-data') return;
    for (const [name, child] of Object.entries(value)) walk(child, name);
  };
  walk(temporal.api.history.v1.History.toObject(history as temporal.api.history.v1.History, { defaults: false }), '');
  return found;
}
