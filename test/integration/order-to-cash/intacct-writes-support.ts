import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { CreateSalesDocumentInput } from '../../../activities/order-to-cash-types.js';
import type { CanonicalOrder } from '../../../mappers/canonical-order.js';
import type { FaultRule, RequestLogEntry } from '../../../sandbox/intacct/index.js';
import { aCanonicalAddress, aCanonicalOrder, aCanonicalOrderLine } from '../../support/builders.js';
import type { OrderSyncFixture } from '../../support/order-sync-fixture.js';

/** Runs an activity as Temporal's attempt `attempt` would (Context.current().info.attempt). */
export function runAttempt<Args extends unknown[], Result>(
  attempt: number,
  activity: (...args: Args) => Promise<Result>,
  ...args: Args
): Promise<Result> {
  // Failures are what these tests provoke; the SDK would log each one as a warning.
  return new MockActivityEnvironment({ attempt }, { logger: new DefaultLogger('ERROR') }).run(activity, ...args);
}

async function control(fixture: OrderSyncFixture, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${fixture.sandboxes.intacct.url}/__control${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`control ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

/** Replaces the Intacct sandbox's fault rules. */
export async function injectFaults(
  fixture: OrderSyncFixture,
  rules: ReadonlyArray<Partial<FaultRule> & Pick<FaultRule, 'kind'>>,
): Promise<void> {
  await control(fixture, 'PUT', '/faults', { seed: 7, rules });
}

export async function clearFaults(fixture: OrderSyncFixture): Promise<void> {
  await control(fixture, 'DELETE', '/faults');
}

/** Every record of an Intacct sandbox object, as stored. */
export async function intacctRecords(fixture: OrderSyncFixture, object: string): Promise<Array<Record<string, string>>> {
  return ((await control(fixture, 'GET', `/records/${object}`)) as { records: Array<Record<string, string>> }).records;
}

/** The gateway's log of function calls with this name: control id, `uniqueid`, outcome. */
export async function intacctFunctionCalls(
  fixture: OrderSyncFixture,
  name: string,
): Promise<Array<{ controlId: string; uniqueId: boolean; status: string }>> {
  const { requests } = (await control(fixture, 'GET', '/requests')) as { requests: RequestLogEntry[] };
  return requests.flatMap((request) =>
    request.functions
      .filter((fn) => fn.name === name)
      .map((fn) => ({ controlId: fn.controlId, uniqueId: request.uniqueId, status: fn.status })),
  );
}

/** Signs the tenant in to Intacct, so the API transactions counted next are the operation's own. */
export async function signIn(fixture: OrderSyncFixture, tenantId: string): Promise<void> {
  await (await (await fixture.connections.forTenant(tenantId)).intacct()).verifySignIn();
}

/**
 * Starts counting the tenant's Intacct API transactions; the returned function says how many of
 * each function were sent since, sign-ins (getAPISession) left out.
 */
export function countIntacctCalls(fixture: OrderSyncFixture, tenantId: string): () => Record<string, number> {
  const before = fixture.intacctTransactions.byFunction(tenantId);
  return () => {
    const calls: Record<string, number> = {};
    for (const [name, count] of Object.entries(fixture.intacctTransactions.byFunction(tenantId))) {
      const delta = count - (before[name] ?? 0);
      if (delta > 0 && name !== 'getAPISession') calls[name] = delta;
    }
    return calls;
  };
}

/** A web order's sales document: 2 × TSHIRT-BLK-M at 24.00, 1 × MUG-CER-12OZ at 14.50, shipping 8.00 = 70.50. */
export function salesDocumentInput(
  fixture: { tenantId: string; orderId: string; transactionDefinition?: string },
  overrides: Partial<CreateSalesDocumentInput['document']> = {},
): CreateSalesDocumentInput {
  return {
    tenantId: fixture.tenantId,
    storefront: 'bigcommerce',
    orderId: fixture.orderId,
    workflowId: `order-to-cash:${fixture.tenantId}:${fixture.orderId}`,
    settingsVersion: 1,
    document: {
      transactionDefinition: fixture.transactionDefinition ?? 'Sales Order',
      date: '2026-03-02',
      customerId: 'WEB-GUEST',
      referenceNumber: fixture.orderId,
      paymentTerm: 'Due on Receipt',
      lines: [
        { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01', quantity: '2', price: '24.00' },
        { itemId: 'MUG-CER-12OZ', warehouseId: 'WH01', quantity: '1', price: '14.50' },
        { itemId: 'SHIPPING', quantity: '1', price: '8.00', memo: 'shipping' },
      ],
      ...overrides,
    },
  };
}

/** The document's total in cents. */
export const documentTotalCents = 7050;

/** The canonical order behind {@link salesDocumentInput}, paid in full by card unless overridden. */
export function paidOrder(orderId: string, overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return aCanonicalOrder({
    orderId,
    placedAt: '2026-03-02T15:00:00.000Z',
    customer: { kind: 'guest', email: 'jane@example.com' },
    billingAddress: aCanonicalAddress({ region: 'TX', postalCode: '78701' }),
    lines: [
      aCanonicalOrderLine({ lineId: '1', sku: 'TSHIRT-BLK-M', name: 'Tee', quantity: 2, unitPrice: 2400 }),
      aCanonicalOrderLine({ lineId: '2', sku: 'MUG-CER-12OZ', name: 'Mug', quantity: 1, unitPrice: 1450 }),
    ],
    shipping: 800,
    total: documentTotalCents,
    paymentMethod: 'Credit Card',
    amountPaid: documentTotalCents,
    ...overrides,
  });
}
