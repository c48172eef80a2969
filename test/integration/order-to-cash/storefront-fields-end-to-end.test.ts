import { describe, expect, it } from 'vitest';
import { upsertMappingRows } from '../../../store/mappings.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import type { Rule } from '../../../store/schemas/settings.js';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { fromHistoryPayload } from '../../support/history-payloads.js';
import {
  janeAtAcmeBillingAddress,
  mapJaneToIntacctCustomer,
  useEndToEndTenant,
  type OrderToCashStack,
} from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/** What a CRM app and the merchant wrote that no setting names: it must never reach a workflow payload. */
const unnamed = { phone: '+1 512 555 0199', supplierEmail: 'buyer@supplier.example' };

/**
 * Issue 17's BigCommerce sources end to end over the BigCommerce and Intacct sandboxes: an order
 * metafield an app wrote after checkout sets the lines' department (through the dimensionRules
 * table) and, through a document rule, a header custom field; a product custom field of the
 * mug drives its line's class and user-defined dimension, not the cap's. The document is posted
 * once, and the metafields and custom fields no setting names never travel into the history.
 */
describe('OrderToCash end to end: order metafields and product custom fields', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  const rules: Rule[] = [
    {
      id: 'b2b-segment',
      scope: 'document',
      match: 'first',
      cases: [
        {
          when: [{ field: 'order.metafields.crm.segment', op: 'equals', value: 'b2b' }],
          set: { customFields: { SALES_CHANNEL: 'B2B' }, customFieldsFrom: { SALES_REGION: 'order.metafields.erp.costCenter' } },
        },
      ],
    },
    {
      id: 'apparel-lines',
      scope: 'line',
      match: 'first',
      cases: [
        {
          when: [{ field: 'line.productCustomFields.Product Line', op: 'equals', value: 'Apparel' }],
          set: {
            class: 'WHOLESALE',
            customFields: { GLDIMCHANNEL: 'RETAIL' },
            customFieldsFrom: { LINE_REF: 'line.productCustomFields.Product Line' },
          },
        },
      ],
    },
  ];

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      orderSync: { dimensionRules: [{ dimension: 'department', from: 'orderMetafield', value: 'erp.costCenter' }] },
      prepare: async (started, tenant) => {
        await mapJaneToIntacctCustomer(started, tenant);
        await upsertMappingRows(
          started.database.db,
          tenant,
          'dimensionRules',
          [{ key: 'CC-OPS', row: { storefrontValue: 'CC-OPS', department: 'OPS' } }],
          'test',
        );
        const current = (await readSettings(started.database.db, tenant))!;
        await writeSettings(
          started.database.db,
          tenant,
          { ...current.settings, rules },
          { expectedVersion: current.version, changedBy: 'test' },
        );
        for (const field of [
          { name: 'Product Line', value: 'Apparel' },
          { name: 'Supplier Email', value: unnamed.supplierEmail },
        ])
          expect((await started.bigCommerce('POST', '/v3/catalog/products/112/custom-fields', field)).status).toBe(200);
      },
    },
    (started) => ({ stack, tenantId } = started),
  );

  const requestsTo = async (pattern: RegExp) => {
    const response = await fetch(`${stack.sandboxes.bigcommerce.url}/_control/requests`);
    const { requests } = (await response.json()) as { requests: Array<{ method: string; path: string }> };
    return requests.filter((request) => request.method === 'GET' && pattern.test(request.path));
  };

  const historyOf = (orderId: string) => stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).fetchHistory();
  const activityCount = async (orderId: string, activity: string) =>
    ((await historyOf(orderId)).events ?? []).filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === activity)
      .length;

  /** Every activity result and input of the order's workflow, decrypted, as one text. */
  const historyText = async (orderId: string) => {
    const history = await historyOf(orderId);
    const payloads: unknown[] = [];
    for (const event of history.events ?? []) {
      const carried = [
        event.activityTaskScheduledEventAttributes?.input,
        event.activityTaskCompletedEventAttributes?.result,
        event.workflowExecutionSignaledEventAttributes?.input,
      ];
      for (const each of carried) for (const payload of each?.payloads ?? []) payloads.push(await fromHistoryPayload(payload));
    }
    return JSON.stringify(payloads);
  };

  it('when an app writes metafields on an order and the mug has a product custom field, then the document carries them once and nothing unnamed travels', async () => {
    // Placed pending: the app writes its metafields before the store moves the order on, as apps do after checkout.
    const created = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: 1,
      status_id: 1,
      billing_address: janeAtAcmeBillingAddress,
      products: [
        { product_id: 112, quantity: 1 },
        { product_id: 114, quantity: 1 },
      ],
    });
    expect(created.status).toBe(201);
    const orderId = String((created.body as { id: number }).id);
    await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'waiting_for_status');
    for (const [namespace, key, value] of [
      ['erp', 'costCenter', 'CC-OPS'],
      ['crm', 'segment', 'b2b'],
      ['crm', 'phone', unnamed.phone],
    ] as const) {
      const written = await stack.bigCommerce('POST', `/v3/orders/${orderId}/metafields`, {
        permission_set: 'read',
        namespace,
        key,
        value,
      });
      expect(written.status).toBe(200);
    }
    expect((await stack.bigCommerce('PUT', `/v2/orders/${orderId}`, { status_id: 11 })).status).toBe(200);
    const done = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');

    const documents = (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({ DOCID: done.intacct.salesDocumentId, SALES_CHANNEL: 'B2B', SALES_REGION: 'CC-OPS' });
    const lines = (await stack.intacctRecords('SODOCUMENTENTRY')).filter((line) => line.DOCHDRID === documents[0]!.DOCID);
    // Product 112 is the mug (the product with the custom field), 114 the cap; the tax line follows the document's department.
    expect(
      lines.map(({ ITEMID, DEPARTMENTID, CLASSID, GLDIMCHANNEL, LINE_REF }) => ({ ITEMID, DEPARTMENTID, CLASSID, GLDIMCHANNEL, LINE_REF })),
    ).toEqual([
      { ITEMID: 'MUG-CER-12OZ', DEPARTMENTID: 'OPS', CLASSID: 'WHOLESALE', GLDIMCHANNEL: 'RETAIL', LINE_REF: 'Apparel' },
      { ITEMID: 'CAP-NVY-OS', DEPARTMENTID: 'OPS', CLASSID: '', GLDIMCHANNEL: undefined, LINE_REF: undefined },
      { ITEMID: 'SALES-TAX', DEPARTMENTID: 'OPS', CLASSID: '', GLDIMCHANNEL: undefined, LINE_REF: undefined },
    ]);

    // Each read of the order cost one metafield request (namespaces crm and erp together) and one product request.
    const fetches = await activityCount(orderId, 'fetchStorefrontOrder');
    expect(fetches).toBeGreaterThan(0);
    expect(await requestsTo(new RegExp(`/v3/orders/${orderId}/metafields$`))).toHaveLength(fetches);
    expect(await requestsTo(/\/v3\/catalog\/products$/)).toHaveLength(fetches);

    const text = await historyText(orderId);
    expect(text).toContain('CC-OPS');
    expect(text).toContain('Apparel');
    expect(text).not.toContain(unnamed.phone);
    expect(text).not.toContain(unnamed.supplierEmail);
  });

  it('when a pasted order carries metafields and product custom fields then the preview shows the values the rules set from them', async () => {
    const preview = await stack.admin('POST', `/tenants/${tenantId}/orders/preview`, {
      customerId: 'C-1001',
      order: {
        storefront: 'bigcommerce',
        orderId: 'pasted-fields-1',
        status: '11',
        placedAt: '2026-03-01T12:00:00Z',
        currency: 'USD',
        customer: { kind: 'registered', customerId: '1' },
        billingAddress: { firstName: 'Pat', lastName: 'Lee', line1: '1 Main St', city: 'Austin', region: 'TX', country: 'US' },
        lines: [
          {
            lineId: '1',
            sku: 'MUG-CER-12OZ',
            name: 'Mug',
            quantity: 1,
            unitPrice: 1450,
            lineTotal: 1450,
            lineDiscount: 0,
            tax: 0,
            productCustomFields: { 'Product Line': 'Apparel' },
          },
        ],
        shipping: 0,
        handling: 0,
        discount: 0,
        tax: 0,
        total: 1450,
        metafields: { 'crm.segment': 'b2b', 'erp.costCenter': 'CC-OPS' },
      },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.rules.customFields).toEqual({
      SALES_CHANNEL: { value: 'B2B', ruleId: 'b2b-segment', caseIndex: 0 },
      SALES_REGION: { value: 'CC-OPS', ruleId: 'b2b-segment', caseIndex: 0 },
    });
    expect(preview.body.rules.lines['1']).toMatchObject({
      dimensions: { class: { value: 'WHOLESALE', ruleId: 'apparel-lines' } },
      customFields: { GLDIMCHANNEL: { value: 'RETAIL' }, LINE_REF: { value: 'Apparel' } },
    });
  });
});
