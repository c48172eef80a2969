import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings, writeSettings } from '../../../store/settings.js';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { returnToCreditMemoWorkflowId } from '../../../workflows/return-to-credit-memo-contract.js';
import { countPersonalData, readDecodedHistory, type PersonalDataCount } from '../../support/history-personal-data.js';
import { startOrderToCashStack, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { orderLines, refundInBigCommerce, refundResult } from '../returns/refund-e2e-support.js';
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
  let refundCounts: Record<string, PersonalDataCount>;

  beforeAll(async () => {
    stack = await startOrderToCashStack();
    const tenantId = await stack.createTenant('bigcommerce');
    await stack.registerWebhooks(tenantId);
    const current = (await readSettings(stack.database.db, tenantId))!;
    await writeSettings(
      stack.database.db,
      tenantId,
      { ...current.settings, returns: { ...current.settings.returns, enabled: true } },
      { expectedVersion: current.version, changedBy: 'test' },
    );
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

    // A refund of the order, from the store's webhook to its credit: its steps read lines and amounts only.
    const { products } = await orderLines(stack, orderId);
    const refund = await refundInBigCommerce(stack, orderId, [{ item_type: 'PRODUCT', item_id: products.get(112)!.id, quantity: 1 }]);
    await refundResult(stack, tenantId, refund.refundId);
    refundCounts = countPersonalData(
      await readDecodedHistory(
        { address: stack.config.temporal.address!, namespace: stack.config.temporal.namespace },
        returnToCreditMemoWorkflowId(tenantId, refund.refundId),
      ),
      personalData,
    );
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('when an order is posted and paid, then its decoded history holds the buyer (the count finds what it counts)', () => {
    for (const { label } of personalData) expect(counts[label]!.total, label).toBeGreaterThan(0);
  });

  it('when an order is posted and paid, then only the fetched order, the customer match and the sales document hold contact data', () => {
    const holding = new Set(Object.values(counts).flatMap(({ where }) => Object.keys(where)));
    expect([...holding].sort(), JSON.stringify(counts)).toEqual(
      [
        'fetchStorefrontOrder result',
        'resolveCustomer input',
        'buildSalesDocument input',
        'buildSalesDocument result',
        'createSalesDocument input',
      ].sort(),
    );
  });

  it('when an order is posted and paid, then the customer match gets the billing contact and not the ship-to', () => {
    expect(counts['billing email']!.where['resolveCustomer input']).toBeGreaterThan(0);
    for (const label of ['shipping email', 'shipping name', 'shipping street', 'shipping phone'])
      expect(counts[label]!.where['resolveCustomer input'], label).toBeUndefined();
  });

  it('when an order is posted and paid, then the emails appear at most 12 times, the streets 9 and the phones 9 (22, 16 and 16 while every step took the whole order)', () => {
    const atMost: Record<string, number> = {
      'billing email': 8,
      'shipping email': 4,
      'billing street': 5,
      'shipping street': 4,
      'billing phone': 5,
      'shipping phone': 4,
    };
    for (const [label, limit] of Object.entries(atMost))
      expect(counts[label]!.total, `${label}: ${JSON.stringify(counts[label])}`).toBeLessThanOrEqual(limit);
  });

  it("when the order is refunded, then the refund's decoded history holds no contact data at all", () => {
    expect(
      Object.values(refundCounts).map(({ total }) => total),
      JSON.stringify(refundCounts),
    ).toEqual(personalData.map(() => 0));
  });
});
