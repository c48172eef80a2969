import { describe, expect, it } from 'vitest';
import { findAttentionItem } from '../../../store/attention.js';
import type { Rule } from '../../../store/schemas/settings.js';
import { eventually } from '../../support/eventually.js';
import {
  mapJaneToIntacctCustomer,
  placeJanesPaidOrder,
  salesDocumentsOf,
  setRules,
  useEndToEndTenant,
  type OrderToCashStack,
} from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/** The Intacct sandbox's second entity (a top-level location of the company). */
const digitalEntity = '200';

/**
 * Issue 17's rules end to end over the BigCommerce and Intacct sandboxes: orders of one tenant
 * land in two entities of a multi-entity company by what they sell (the order lines' product
 * type), each exactly once; an order held by a rule on the customer's group waits until an
 * operator approves it through the admin API, then posts once; a held order an operator
 * rejects (cancels) posts nothing.
 */
describe('OrderToCash end to end: entity routing and rule holds', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  const rules: Rule[] = [
    {
      id: 'digital-goods-entity',
      scope: 'document',
      match: 'first',
      cases: [{ when: [{ field: 'order.productTypes', op: 'equals', value: 'digital' }], set: { entity: digitalEntity } }],
    },
    {
      id: 'wholesale-needs-approval',
      scope: 'document',
      match: 'first',
      cases: [{ when: [{ field: 'customer.group', op: 'equals', value: '2' }], set: { hold: 'wholesale orders are approved by sales' } }],
    },
  ];

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      prepare: async (started, tenant) => {
        await mapJaneToIntacctCustomer(started, tenant);
        await setRules(started, tenant, rules);
      },
    },
    (started) => ({ stack, tenantId } = started),
  );

  const documentsOf = (orderId: string) => salesDocumentsOf(stack, orderId);
  const setJanesGroup = async (groupId: number) => {
    const updated = await stack.bigCommerce('PUT', '/v3/customers', [{ id: 1, customer_group_id: groupId }]);
    expect(updated.status).toBe(200);
  };
  const placeOrder = (productId: number) => placeJanesPaidOrder(stack, [productId]);
  const posted = (orderId: string) => stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');

  it('when one order sells a gift card and another a tee, then each lands once, the gift card in the digital entity and the tee at the top level', async () => {
    await setJanesGroup(1);
    const giftCardOrder = await placeOrder(115);
    const teeOrder = await placeOrder(112);

    const [giftCard, tee] = await Promise.all([posted(giftCardOrder), posted(teeOrder)]);

    const [giftCardDocuments, teeDocuments] = await Promise.all([documentsOf(giftCardOrder), documentsOf(teeOrder)]);
    expect(giftCardDocuments).toHaveLength(1);
    expect(giftCardDocuments[0]).toMatchObject({ DOCID: giftCard.intacct.salesDocumentId, MEGAENTITYID: digitalEntity });
    expect(teeDocuments).toHaveLength(1);
    expect(teeDocuments[0]).toMatchObject({ DOCID: tee.intacct.salesDocumentId });
    expect(teeDocuments[0]).not.toHaveProperty('MEGAENTITYID');
    // The routed order's payment went where its invoice lives: the same entity.
    const payments = await stack.intacctRecords('ARPYMT');
    expect(payments.filter((payment) => payment.MEGAENTITYID === digitalEntity)).toHaveLength(1);
    expect(await stack.ledger(tenantId, 'order', giftCardOrder)).toMatchObject({ state: 'synced', intacctEntityId: digitalEntity });
    expect(await stack.ledger(tenantId, 'order', teeOrder)).not.toHaveProperty('intacctEntityId');
  });

  it("when a wholesale customer's order is held by a rule, then it waits with nothing posted and, approved through the admin API, posts once", async () => {
    await setJanesGroup(2);
    const orderId = await placeOrder(112);

    const held = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'parked');
    expect(held.attention).toMatchObject({
      code: 'rule_hold',
      reason: expect.stringContaining(
        'rule "wholesale-needs-approval" holds the order for approval: wholesale orders are approved by sales',
      ),
    });
    expect(await documentsOf(orderId)).toEqual([]);
    // The status shows the park before the attention queue has recorded it.
    await eventually(
      async () => (await findAttentionItem(stack.database.db, { tenantId, entity: 'order', externalId: orderId }))?.code === 'rule_hold',
      { what: 'the rule hold to be in the attention queue' },
    );

    const approved = await stack.admin('POST', `/tenants/${tenantId}/orders/${orderId}/approve`);
    expect(approved.status).toBe(200);
    const done = await posted(orderId);
    const documents = await documentsOf(orderId);
    expect(documents).toHaveLength(1);
    expect(documents[0]!.DOCID).toBe(done.intacct.salesDocumentId);
    expect(await stack.ledger(tenantId, 'order', orderId)).toMatchObject({
      state: 'synced',
      intacctDocumentId: done.intacct.salesDocumentId,
    });
  });

  it('when an operator rejects an order a rule holds, then it ends cancelled and Intacct holds nothing of it', async () => {
    await setJanesGroup(2);
    const orderId = await placeOrder(112);
    await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'parked' && current.attention?.code === 'rule_hold');

    const rejected = await stack.admin('POST', `/tenants/${tenantId}/orders/${orderId}/cancel`, { reason: 'not a wholesale account' });
    expect(rejected.status).toBe(200);
    await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'cancelled');
    expect(await documentsOf(orderId)).toEqual([]);
  });
});
