import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../store/schemas/settings.js';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
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
const brandEntity = '200';

/**
 * Issue 17's product brand and categories end to end over the BigCommerce and Intacct
 * sandboxes: a document rule on `order.brands` routes the order of a Northwind product to
 * entity 200, a line rule on `line.categories` sets the apparel line's class and copies its
 * brand into a line custom field. The merchant gives the cap its brand through the catalog API
 * (`brand_name` in a product batch update, which creates the brand); the hoodie's and the mug's
 * come from the sandbox's seed. Each read of the order costs one product, one brand and one
 * category request, and the preview names the rule behind each value.
 */
describe('OrderToCash end to end: rules on the product brand and categories', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  const rules: Rule[] = [
    {
      id: 'northwind-entity',
      scope: 'document',
      match: 'first',
      cases: [{ when: [{ field: 'order.brands', op: 'equals', value: 'Northwind' }], set: { entity: brandEntity } }],
    },
    {
      id: 'apparel-class',
      scope: 'line',
      match: 'first',
      cases: [
        {
          when: [{ field: 'line.categories', op: 'in', values: ['Apparel'] }],
          set: { class: 'WHOLESALE', customFieldsFrom: { LINE_REF: 'line.brand' } },
        },
      ],
    },
  ];

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      prepare: async (started, tenant) => {
        await mapJaneToIntacctCustomer(started, tenant);
        await setRules(started, tenant, rules);
        const updated = await started.bigCommerce('PUT', '/v3/catalog/products', [{ id: 114, brand_name: 'Northwind', categories: [22] }]);
        expect(updated.status).toBe(200);
        expect(updated.body.data[0]).toMatchObject({ id: 114, brand_id: expect.any(Number), categories: [22] });
      },
    },
    (started) => ({ stack, tenantId } = started),
  );

  const documentsOf = (orderId: string) => salesDocumentsOf(stack, orderId);
  const placeOrder = (productIds: number[]) => placeJanesPaidOrder(stack, productIds);
  const posted = (orderId: string) => stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');
  const catalogRequests = async (orderRequests: (path: string) => boolean) => {
    const response = await fetch(`${stack.sandboxes.bigcommerce.url}/_control/requests`);
    const { requests } = (await response.json()) as { requests: Array<{ method: string; path: string }> };
    return requests.filter((request) => request.method === 'GET' && orderRequests(request.path));
  };
  const fetchesOf = async (orderId: string) =>
    ((await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).fetchHistory()).events ?? []).filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'fetchStorefrontOrder',
    ).length;

  it('when one order sells a Northwind cap and another an apparel hoodie and a mug, then the cap lands in entity 200 and the hoodie line gets its class and brand', async () => {
    const before = {
      products: (await catalogRequests((path) => path.endsWith('/v3/catalog/products'))).length,
      brands: (await catalogRequests((path) => path.endsWith('/v3/catalog/brands'))).length,
      categories: (await catalogRequests((path) => path.endsWith('/v3/catalog/trees/categories'))).length,
    };
    const capOrder = await placeOrder([114]);
    const apparelOrder = await placeOrder([113, 112]);
    const [cap, apparel] = await Promise.all([posted(capOrder), posted(apparelOrder)]);

    const [capDocuments, apparelDocuments] = await Promise.all([documentsOf(capOrder), documentsOf(apparelOrder)]);
    expect(capDocuments).toHaveLength(1);
    expect(capDocuments[0]).toMatchObject({ DOCID: cap.intacct.salesDocumentId, MEGAENTITYID: brandEntity });
    expect(apparelDocuments).toHaveLength(1);
    expect(apparelDocuments[0]).toMatchObject({ DOCID: apparel.intacct.salesDocumentId });
    expect(apparelDocuments[0]).not.toHaveProperty('MEGAENTITYID');
    expect(await stack.ledger(tenantId, 'order', capOrder)).toMatchObject({ state: 'synced', intacctEntityId: brandEntity });

    const lines = (await stack.intacctRecords('SODOCUMENTENTRY')).filter((line) => line.DOCHDRID === apparelDocuments[0]!.DOCID);
    // 113 is the hoodie (Trailhead; Apparel, Hoodies), 112 the mug (Harbor Goods; Kitchen).
    expect(
      lines.filter((line) => line.ITEMID !== 'SALES-TAX').map(({ ITEMID, CLASSID, LINE_REF }) => ({ ITEMID, CLASSID, LINE_REF })),
    ).toEqual([
      { ITEMID: 'HOODIE-GRY-L', CLASSID: 'WHOLESALE', LINE_REF: 'Trailhead' },
      { ITEMID: 'MUG-CER-12OZ', CLASSID: '', LINE_REF: undefined },
    ]);

    // Every read of either order cost one product request, one brand request and one category request.
    const fetches = (await fetchesOf(capOrder)) + (await fetchesOf(apparelOrder));
    expect(fetches).toBeGreaterThanOrEqual(2);
    expect((await catalogRequests((path) => path.endsWith('/v3/catalog/products'))).length - before.products).toBe(fetches);
    expect((await catalogRequests((path) => path.endsWith('/v3/catalog/brands'))).length - before.brands).toBe(fetches);
    expect((await catalogRequests((path) => path.endsWith('/v3/catalog/trees/categories'))).length - before.categories).toBe(fetches);
  });

  it('when a placed order is previewed, then the preview shows the brand rule behind the entity and the category rule behind the class', async () => {
    const orderId = await placeOrder([114, 113]);
    await posted(orderId);
    const preview = await stack.admin('POST', `/tenants/${tenantId}/orders/${orderId}/preview`, { customerId: 'C-1001' });
    expect(preview.status).toBe(200);
    expect(preview.body.rules.entity).toEqual({ value: brandEntity, ruleId: 'northwind-entity', caseIndex: 0 });
    const lineRules = Object.values(preview.body.rules.lines as Record<string, { dimensions: Record<string, unknown> }>);
    expect(lineRules.map((line) => line.dimensions.class)).toEqual([
      undefined,
      { value: 'WHOLESALE', ruleId: 'apparel-class', caseIndex: 0 },
    ]);
  });
});
