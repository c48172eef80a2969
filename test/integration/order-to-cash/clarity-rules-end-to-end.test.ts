import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../store/schemas/settings.js';
import { setRules, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/** The Intacct sandbox's second entity (a top-level location of the company). */
const drinkwareEntity = '200';

/**
 * Issue 17's rules on a Clarity tenant end to end over the Clarity and Intacct sandboxes: the
 * order's customer group and its lines' product types (the contract's proposal additions) reach
 * the rules as BigCommerce's do, so a wholesale customer's lines take the wholesale class and an
 * order selling drinkware lands in the drinkware entity, each exactly once, while a retail
 * customer's apparel order stays at the top level with no class.
 */
describe('OrderToCash end to end: Clarity customer group and product type in rules', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  const rules: Rule[] = [
    {
      id: 'drinkware-entity',
      scope: 'document',
      match: 'first',
      cases: [{ when: [{ field: 'order.productTypes', op: 'equals', value: 'drinkware' }], set: { entity: drinkwareEntity } }],
    },
    {
      id: 'wholesale-class',
      scope: 'document',
      match: 'first',
      cases: [{ when: [{ field: 'customer.group', op: 'equals', value: 'wholesale' }], set: { class: 'WHOLESALE' } }],
    },
  ];

  useEndToEndTenant(
    { storefront: 'clarity', prepare: (started, tenant) => setRules(started, tenant, rules) },
    (started) => ({ stack, tenantId } = started),
  );

  const checkout = async (customerId: string, sku: string) => {
    const created = await stack.clarity('POST', '/orders', { customerId, lineItems: [{ sku, quantity: 1 }], status: 'processing' });
    expect(created.status).toBe(201);
    return (created.body as { orderId: string }).orderId;
  };
  const posted = (orderId: string) => stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');
  const documentsOf = async (orderId: string) =>
    (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
  const linesOf = async (docId: string) =>
    (await stack.intacctRecords('SODOCUMENTENTRY'))
      .filter((line) => line.DOCHDRID === docId)
      .map(({ ITEMID, CLASSID }) => ({ ITEMID, CLASSID }));

  it("when a wholesale customer buys a mug and a retail customer a tee, then the mug's order lands once in the drinkware entity with the wholesale class and the tee's once at the top level without", async () => {
    // In the sandbox's seed, Marco Rossi (CU-2002) is in the wholesale group and Jane Doe (CU-2001) in retail.
    const mugOrder = await checkout('CU-2002', 'MUG-WHT-11OZ');
    const teeOrder = await checkout('CU-2001', 'TSHIRT-BLK-M');

    const [mug, tee] = await Promise.all([posted(mugOrder), posted(teeOrder)]);

    const [mugDocuments, teeDocuments] = await Promise.all([documentsOf(mugOrder), documentsOf(teeOrder)]);
    expect(mugDocuments).toHaveLength(1);
    expect(mugDocuments[0]).toMatchObject({ DOCID: mug.intacct.salesDocumentId, MEGAENTITYID: drinkwareEntity });
    expect(await linesOf(mugDocuments[0]!.DOCID!)).toEqual([
      { ITEMID: 'MUG-WHT-11OZ', CLASSID: 'WHOLESALE' },
      { ITEMID: 'SHIPPING', CLASSID: 'WHOLESALE' },
      { ITEMID: 'SALES-TAX', CLASSID: 'WHOLESALE' },
    ]);
    expect(teeDocuments).toHaveLength(1);
    expect(teeDocuments[0]).toMatchObject({ DOCID: tee.intacct.salesDocumentId });
    expect(teeDocuments[0]).not.toHaveProperty('MEGAENTITYID');
    expect(await linesOf(teeDocuments[0]!.DOCID!)).toEqual([
      { ITEMID: 'TSHIRT-BLK-M', CLASSID: '' },
      { ITEMID: 'SHIPPING', CLASSID: '' },
      { ITEMID: 'SALES-TAX', CLASSID: '' },
    ]);
    expect(await stack.ledger(tenantId, 'order', mugOrder)).toMatchObject({ state: 'synced', intacctEntityId: drinkwareEntity });
    expect(await stack.ledger(tenantId, 'order', teeOrder)).not.toHaveProperty('intacctEntityId');
  });
});
