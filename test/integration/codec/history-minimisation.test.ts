import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { countPersonalData, readDecodedHistory, type PersonalDataCount } from '../../support/history-personal-data.js';
import { startOrderToCashStack, type OrderToCashStack } from '../order-to-cash/e2e-support.js';
import '../../support/quiet-runtime.js';

/** A guest who pays at checkout and ships to someone else: both contacts are unmistakable in a text search. */
const billing = {
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
const shipping = {
  ...billing,
  first_name: 'Bartholomew',
  last_name: 'Fennimore',
  street_1: '19 Juniper Hollow',
  phone: '512-555-0142',
  email: 'b.fennimore@example.org',
};
const personalData = [
  { label: 'billing email', value: billing.email },
  { label: 'billing name', value: billing.last_name },
  { label: 'billing street', value: billing.street_1 },
  { label: 'billing phone', value: billing.phone },
  { label: 'shipping email', value: shipping.email },
  { label: 'shipping name', value: shipping.last_name },
  { label: 'shipping street', value: shipping.street_1 },
  { label: 'shipping phone', value: shipping.phone },
];

describe("an order's decoded Temporal history holds the buyer's contact data only where a step needs it", () => {
  let stack: OrderToCashStack;
  let counts: Record<string, PersonalDataCount>;

  beforeAll(async () => {
    stack = await startOrderToCashStack();
    const tenantId = await stack.createTenant('bigcommerce');
    await stack.registerWebhooks(tenantId);
    // Awaiting fulfilment and paid at checkout: fetched, checked, resolved, posted with its payment, then watched.
    const created = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: 0,
      status_id: 11,
      billing_address: billing,
      shipping_addresses: [shipping],
      products: [{ product_id: 112, quantity: 1 }],
    });
    expect(created.status).toBe(201);
    const orderId = String((created.body as { id: number }).id);
    const status = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment', 90_000);
    expect(status.intacct).toMatchObject({ salesDocumentId: expect.any(String), paymentKey: expect.any(String) });
    const history = await readDecodedHistory(
      { address: stack.config.temporal.address!, namespace: stack.config.temporal.namespace },
      orderToCashWorkflowId(tenantId, orderId),
    );
    counts = countPersonalData(history, personalData);
    // The figures for docs/privacy.md: each identifier's count and where it is.
    console.info(JSON.stringify(counts, null, 2));
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('when an order is posted and paid, then its history holds the buyer', () => {
    for (const { label } of personalData) expect(counts[label]!.total, label).toBeGreaterThan(0);
  });
});
