import { describe, expect, it } from 'vitest';
import { findAttentionItem } from '../../../store/attention.js';
import type { AnomalyCheckSettings } from '../../../store/schemas/settings.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import { eventually } from '../../support/eventually.js';
import { useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * Issue 21 end to end: a tenant's anomaly checks learn from its own posted orders (three
 * ordinary orders of one cap here, the tenant's minimum history), then hold an order whose total
 * is far above them until an operator approves it, or, flagged instead, let it post with an
 * informational attention item.
 */
describe('OrderToCash end to end: anomaly holds and flags', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  const setPolicies = async (policies: Partial<AnomalyCheckSettings['policies']>) => {
    const current = (await readSettings(stack.database.db, tenantId))!;
    const anomalyChecks = { minimumHistory: 3, policies: { ...current.settings.anomalyChecks.policies, ...policies } };
    await writeSettings(
      stack.database.db,
      tenantId,
      { ...current.settings, anomalyChecks },
      {
        expectedVersion: current.version,
        changedBy: 'test',
      },
    );
  };

  useEndToEndTenant({ storefront: 'clarity' }, (started) => ({ stack, tenantId } = started));

  const documentsOf = async (orderId: string) =>
    (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
  const placeOrder = async (quantity: number) => {
    const created = await stack.clarity('POST', '/orders', {
      customerId: 'CU-2002',
      lineItems: [{ sku: 'CAP-NVY-OS', quantity }],
      status: 'processing',
    });
    expect(created.status).toBe(201);
    return (created.body as { orderId: string }).orderId;
  };
  const posted = (orderId: string) => stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');

  it('when the tenant has its minimum history and holds large totals, then an order of 20 caps waits for approval and, approved, posts once', async () => {
    await setPolicies({ totalOutlier: 'hold' });
    for (let order = 0; order < 3; order += 1) await posted(await placeOrder(1));

    const orderId = await placeOrder(20);
    const held = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'parked');
    expect(held.attention).toMatchObject({ code: 'anomaly_hold', reason: expect.stringContaining("the tenant's usual USD total") });
    expect(await documentsOf(orderId)).toEqual([]);
    const item = await findAttentionItem(stack.database.db, { tenantId, entity: 'order', externalId: orderId });
    expect(item).toMatchObject({
      state: 'open',
      code: 'anomaly_hold',
      details: {
        historyOrders: 3,
        findings: [{ check: 'totalOutlier', figures: { total: expect.any(Number), usualTotal: expect.any(Number) } }],
      },
    });
    const figures = (item!.details!.findings as Array<{ figures: { total: number; usualTotal: number } }>)[0]!.figures;
    expect(figures.total / figures.usualTotal).toBeGreaterThan(5);

    const approved = await stack.admin('POST', `/tenants/${tenantId}/orders/${orderId}/approve`);
    expect(approved.status).toBe(200);
    await posted(orderId);
    expect(await documentsOf(orderId)).toHaveLength(1);
    expect(await stack.ledger(tenantId, 'order', orderId)).toMatchObject({ state: 'synced' });
    await eventually(
      async () => (await findAttentionItem(stack.database.db, { tenantId, entity: 'order', externalId: orderId }))?.state === 'resolved',
      {
        what: 'the hold to be resolved',
      },
    );
  });

  it('when large totals are flagged instead, then an order of 20 caps posts at once with an informational attention item', async () => {
    await setPolicies({ totalOutlier: 'flag' });
    const orderId = await placeOrder(20);
    await posted(orderId);
    expect(await documentsOf(orderId)).toHaveLength(1);
    const queue = await stack.admin('GET', `/tenants/${tenantId}/attention?entity=order&code=anomaly_flagged`);
    expect(queue.status).toBe(200);
    expect(queue.body.items).toEqual([
      expect.objectContaining({
        externalId: orderId,
        state: 'open',
        code: 'anomaly_flagged',
        reason: expect.stringMatching(/^posted, but unusual: the order's total is [\d.]+× the tenant's usual USD total$/),
      }),
    ]);
  });
});
