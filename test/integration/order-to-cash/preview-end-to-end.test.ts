import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../../sandbox/intacct/index.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import { janeDoeBillingAddress } from '../../support/builders.js';
import { mapJaneToIntacctCustomer, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/** Functions of Intacct's that only read (and the sign-in); anything else in the log is a write. */
const intacctReads = new Set(['readByQuery', 'readMore', 'query', 'read', 'readByName', 'getAPISession']);

/**
 * The preview (dry-run) end to end: the admin API over HTTP starts OrderPreview on the dev
 * server, the worker reads the BigCommerce sandbox and the Intacct sandbox, and the answer is
 * what OrderToCash would send, with the rule behind each value and every reason it would park.
 * The Intacct sandbox's request log shows that nothing was written.
 */
describe('Order preview end to end', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      orderSync: { transactionDefinition: 'Sales Order' },
      prepare: async (started, tenant) => {
        await mapJaneToIntacctCustomer(started, tenant);
        const current = (await readSettings(started.database.db, tenant))!;
        await writeSettings(
          started.database.db,
          tenant,
          {
            ...current.settings,
            rules: [
              {
                id: 'big-orders-need-approval',
                scope: 'document',
                match: 'first',
                cases: [
                  {
                    when: [{ field: 'order.total', op: 'between', min: 50 }],
                    set: { hold: 'orders of 50 or more are approved by finance' },
                  },
                ],
              },
              {
                id: 'web-department',
                scope: 'document',
                match: 'first',
                cases: [{ when: [{ field: 'order.storefront', op: 'equals', value: 'bigcommerce' }], set: { department: 'ECOM' } }],
              },
              {
                id: 'class-by-sku',
                scope: 'line',
                match: 'all',
                cases: [{ when: [{ field: 'line.quantity', op: 'between', min: 2 }], set: { class: 'MULTI' } }],
              },
            ],
          },
          { expectedVersion: current.version, changedBy: 'test' },
        );
      },
    },
    (started) => ({ stack, tenantId } = started),
  );

  const intacctWritesSoFar = async () => {
    const log = (await stack.intacctControl('GET', '/requests')) as { requests: RequestLogEntry[] };
    return log.requests.flatMap((request) => request.functions).filter((fn) => !intacctReads.has(fn.name)).length;
  };

  it('when a storefront order is previewed then the answer is the document with each rule value, and the reasons it would wait and park, and Intacct gets no write', async () => {
    const created = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: 0,
      status_id: 1,
      billing_address: janeDoeBillingAddress,
      products: [
        { product_id: 112, quantity: 2 },
        { product_id: 114, quantity: 1 },
      ],
      shipping_cost_ex_tax: '8.00',
    });
    expect(created.status).toBe(201);
    const orderId = String((created.body as { id: number }).id);
    const writesBefore = await intacctWritesSoFar();

    const preview = await stack.admin('POST', `/tenants/${tenantId}/orders/${orderId}/preview`, {});

    expect(preview.status).toBe(200);
    const body = preview.body as {
      document: { transactionDefinition: string; referenceNumber: string; lines: Array<Record<string, string>> };
      rules: { lines: Record<string, { dimensions: Record<string, unknown> }>; holds: unknown[] };
      problems: string[];
      check: { action: string };
    };
    expect(body.check.action).toBe('wait');
    expect(body.document.transactionDefinition).toBe('Sales Order');
    expect(body.document.referenceNumber).toBe(orderId);
    const productLines = body.document.lines.filter((line) => line.memo === undefined);
    expect(productLines.map((line) => [line.quantity, line.departmentId, line.classId])).toEqual([
      ['2', 'ECOM', 'MULTI'],
      ['1', 'ECOM', undefined],
    ]);
    const lineDecisions = Object.values(body.rules.lines);
    expect(lineDecisions[0]!.dimensions).toEqual({
      department: { value: 'ECOM', ruleId: 'web-department', caseIndex: 0 },
      class: { value: 'MULTI', ruleId: 'class-by-sku', caseIndex: 0 },
    });
    expect(body.rules.holds).toEqual([
      { reason: 'orders of 50 or more are approved by finance', ruleId: 'big-orders-need-approval', caseIndex: 0 },
    ]);
    expect(body.problems).toEqual([
      expect.stringMatching(/^the order would not be posted now \(wait\): /),
      'rule "big-orders-need-approval" holds the order for approval: orders of 50 or more are approved by finance',
    ]);
    expect(await intacctWritesSoFar()).toBe(writesBefore);
  });

  it('when a pasted order has a SKU Intacct does not know then the preview names it as the reason it would park, without a document, and writes nothing', async () => {
    const writesBefore = await intacctWritesSoFar();
    const preview = await stack.admin('POST', `/tenants/${tenantId}/orders/preview`, {
      customerId: 'C-PREVIEW',
      order: {
        storefront: 'bigcommerce',
        orderId: 'pasted-1',
        status: '11',
        placedAt: '2026-03-01T12:00:00Z',
        currency: 'USD',
        customer: { kind: 'guest', email: 'pat@example.com' },
        billingAddress: { firstName: 'Pat', lastName: 'Lee', line1: '1 Main St', city: 'Austin', region: 'TX', country: 'US' },
        lines: [
          { lineId: '1', sku: 'NO-SUCH-SKU-9', name: 'Mystery', quantity: 1, unitPrice: 1000, lineTotal: 1000, lineDiscount: 0, tax: 0 },
        ],
        shipping: 0,
        handling: 0,
        discount: 0,
        tax: 0,
        total: 1000,
      },
    });
    expect(preview.status).toBe(200);
    const body = preview.body as { document?: unknown; customer: unknown; items: { resolved: boolean }; problems: string[] };
    expect(body.document).toBeUndefined();
    expect(body.customer).toEqual({ customerId: 'C-PREVIEW', source: 'given' });
    expect(body.items.resolved).toBe(false);
    expect(body.problems).toHaveLength(1);
    expect(body.problems[0]).toContain('NO-SUCH-SKU-9');
    expect(await intacctWritesSoFar()).toBe(writesBefore);
  });

  it('when the OpenAPI document is read then it describes both previews and the rules in the settings', async () => {
    const { paths, components } = (await stack.admin('GET', '/openapi.json')).body as { paths: Record<string, any>; components?: unknown };
    expect(paths['/api/v1/tenants/{tenantId}/orders/{orderId}/preview']?.post).toBeDefined();
    expect(
      paths['/api/v1/tenants/{tenantId}/orders/preview']?.post?.requestBody.content['application/json'].schema.properties,
    ).toHaveProperty('order');
    const rules = (components as { schemas: Record<string, any> }).schemas.TenantRules;
    expect(rules.type).toBe('array');
    expect(Object.keys(rules.items.properties)).toEqual(['id', 'description', 'scope', 'match', 'cases']);
    expect(JSON.stringify(rules)).toContain('"between"');
  });
});
