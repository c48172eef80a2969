import { describe, expect, it } from 'vitest';
import {
  storefrontItemIntakeWorkflowId,
  type StorefrontItemIntakeResult,
  type StorefrontItemTarget,
} from '../../../workflows/storefront-item-intake-contract.js';
import { useCatalogFixture, type CatalogFixture } from '../../support/catalog-fixture.js';
import { eventually } from '../../support/eventually.js';

/**
 * Clarity's `product.updated` (its only documented product event) taken in end to end: the
 * Clarity sandbox changes a product and delivers the signed event to the API's receiver, the
 * product's worker runs StorefrontItemIntake on the dev server with FerretDB, and what Intacct
 * got is read back through the Intacct sandbox's records and request log.
 */
describe('Clarity product.updated → Intacct item for a SKU Intacct lacks', () => {
  let catalog: CatalogFixture;
  useCatalogFixture('clarity', (started) => (catalog = started));

  /** A Clarity tenant creating missing items inactive, subscribed to the sandbox's events, each delivered `copies` times. */
  const intakeTenant = async (copies: number) => {
    const tenantId = await catalog.catalogTenant({ createInIntacct: 'inactive' }, { webhooks: true });
    await catalog.clarity('PUT', '/webhook-behaviour', { copies });
    return tenantId;
  };

  /** The result of the intake run after `previousRunId` (the first one when undefined). */
  const intakeResult = async (tenantId: string, sku: string, previousRunId?: string) => {
    const target: StorefrontItemTarget = { kind: 'claritySku', sku };
    const handle = catalog.stack.client.workflow.getHandle(storefrontItemIntakeWorkflowId(tenantId, target));
    const runId = await eventually(
      async () => {
        try {
          return (await handle.describe()).runId;
        } catch {
          return undefined;
        }
      },
      { until: (id) => id !== undefined && id !== previousRunId, what: `an intake of ${sku}`, timeoutMs: 60_000, intervalMs: 250 },
    );
    const result = (await catalog.stack.client.workflow.getHandle(handle.workflowId, runId).result()) as StorefrontItemIntakeResult;
    return { runId: runId!, result };
  };
  const deliveredCopies = async (sku: string) =>
    (
      (await catalog.clarity('GET', '/webhook-deliveries')) as { data: Array<{ eventType: string; body: string; state: string }> }
    ).data.filter(
      (delivery) => delivery.eventType === 'product.updated' && delivery.state === 'delivered' && delivery.body.includes(`"sku":"${sku}"`),
    ).length;

  it('when a Clarity product Intacct lacks changes, then one inactive item is created however often the event comes, and later changes create nothing', async () => {
    const tenantId = await intakeTenant(3);
    // The merchant sells a cap in Clarity that Intacct has no item for.
    await catalog.intacct('DELETE', '/records/ITEM/CAP-NVY-OS');
    expect(await catalog.intacctItem('CAP-NVY-OS')).toBeUndefined();

    await catalog.clarity('PATCH', '/products/CAP-NVY-OS', { price: '21.50' });

    const first = await intakeResult(tenantId, 'CAP-NVY-OS');
    expect(first.result).toMatchObject({ outcome: 'completed', known: [], created: ['CAP-NVY-OS'], raised: [], failed: [] });
    expect(await catalog.intacctItem('CAP-NVY-OS')).toMatchObject({
      ITEMID: 'CAP-NVY-OS',
      NAME: 'Baseball Cap, Navy, One Size',
      STATUS: 'inactive',
      BASEPRICE: '21.50',
    });
    await eventually(() => deliveredCopies('CAP-NVY-OS'), { until: (copies) => copies === 3, what: 'three deliveries of the event' });
    expect(await catalog.itemCreates('CAP-NVY-OS')).toBe(1);

    // A later change is a new event: its intake finds the item and creates nothing.
    await catalog.clarity('PATCH', '/products/CAP-NVY-OS', { name: 'Baseball Cap, Navy' });
    const second = await intakeResult(tenantId, 'CAP-NVY-OS', first.runId);
    expect(second.result).toMatchObject({ outcome: 'completed', known: ['CAP-NVY-OS'], created: [] });
    expect(await catalog.itemCreates('CAP-NVY-OS')).toBe(1);
  });

  it('when a Clarity product Intacct knows changes, then the intake creates nothing', async () => {
    const tenantId = await intakeTenant(1);
    await catalog.clarity('PATCH', '/products/TSHIRT-BLK-L', { price: '25.00' });
    const { result } = await intakeResult(tenantId, 'TSHIRT-BLK-L');
    expect(result).toMatchObject({ outcome: 'completed', known: ['TSHIRT-BLK-L'], created: [], raised: [] });
    expect(await catalog.itemCreates('TSHIRT-BLK-L')).toBe(0);
  });
});
