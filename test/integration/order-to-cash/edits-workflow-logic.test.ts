/* eslint-disable @typescript-eslint/require-await -- the stand-in activities answer at once, but must be async like the real ones */
import { createRequire } from 'node:module';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  orderChangedSignal,
  orderToCashStatusQuery,
  orderToCashWorkflowId,
  retryOrderUpdate,
  type OrderSyncPlan,
  type OrderToCashActivities,
  type SalesOrderUpdate,
} from '../../../workflows/order-to-cash-contract.js';
import { aCanonicalOrder, aCanonicalOrderLine } from '../../support/builders.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, testConfig, uniqueId } from '../../support/harness.js';
import { delegatingActivities, startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';
import '../../support/quiet-runtime.js';

const require = createRequire(import.meta.url);

/** A posted order's world: the store's order and stamp, what the sales order update answers, which calls were made. */
class EditWorld {
  calls: string[] = [];
  order = aCanonicalOrder({
    lines: [aCanonicalOrderLine(), aCanonicalOrderLine({ lineId: '2', sku: 'TEE', quantity: 2, unitPrice: 1500 })],
  });
  stamp = 'v1';
  update: SalesOrderUpdate = { state: 'updated' };
  onPermanentFailure: OrderSyncPlan['onPermanentFailure'] = 'park';
  ledger: OrderSyncPlan['ledger'] = { state: 'new' };
  /** The write-back is refused until this is false: the order parks after its document and payment exist. */
  writeBackRefused = false;

  /** The store's order edited: a new version with a new stamp. */
  edit(change: (order: EditWorld['order']) => EditWorld['order'], stamp: string): void {
    this.order = change(this.order);
    this.stamp = stamp;
  }

  activities(): Partial<OrderToCashActivities> {
    const record = (name: string) => this.calls.push(name);
    return {
      loadTenantSettings: async () => (
        record('loadTenantSettings'),
        {
          settingsVersion: 1,
          transactionDefinition: 'Sales Order',
          waitForStatusHours: 72,
          fulfilment: { convertToInvoice: false, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 600, watchDays: 30 },
          onPermanentFailure: this.onPermanentFailure,
          ledger: this.ledger,
        }
      ),
      fetchStorefrontOrder: async () => (record('fetchStorefrontOrder'), { ...this.order, storefrontStamp: this.stamp }),
      detectStorefrontOrderChange: async ({ lastSeenStamp }) => (
        record('detectStorefrontOrderChange'),
        { changed: lastSeenStamp !== this.stamp, storefrontStamp: this.stamp }
      ),
      checkOrder: async () => (record('checkOrder'), { action: 'sync' }),
      resolveCustomer: async () => (record('resolveCustomer'), { resolved: true, customerId: 'C-1001', source: 'mapping' }),
      resolveItems: async () => (record('resolveItems'), { resolved: true, items: { '1': { itemId: 'MUG' }, '2': { itemId: 'TEE' } } }),
      buildSalesDocument: async ({ order }) => (
        record('buildSalesDocument'),
        {
          transactionDefinition: 'Sales Order',
          date: '2026-11-02',
          customerId: 'C-1001',
          referenceNumber: '500',
          lines: order.lines.map((line) => ({ itemId: line.sku, quantity: String(line.quantity), price: '10.00' })),
        }
      ),
      createSalesDocument: async () => (record('createSalesDocument'), { documentId: 'Sales Order-SO-0001', created: true }),
      recordPayment: async () => (record('recordPayment'), { recorded: true, paymentKey: 'P-1', created: true }),
      writeBackToStorefront: async ({ state }) => {
        record(`writeBack:${state}`);
        if (state === 'synced' && this.writeBackRefused) throw ApplicationFailure.nonRetryable('the store refused the write', 'Refused');
        return { storefrontStamp: this.stamp };
      },
      parkOrder: async ({ attention }) => void record(`park:${attention.code}`),
      clearOrderAttention: async () => void record('clearOrderAttention'),
      reversePayment: async () => void record('reversePayment'),
      cancelSalesDocument: async () => (record('cancelSalesDocument'), { cancelled: true }),
      readShipmentStatus: async () => (record('readShipmentStatus'), { storefrontShipments: [], intacctShipmentsToSync: [] }),
      wakeWaitingRefunds: async () => (record('wakeWaitingRefunds'), { woken: 0 }),
      updateSalesOrderToMatch: async () => (record('updateSalesOrderToMatch'), this.update),
    };
  }
}

/**
 * Edits after posting in the workflow's own logic, with stand-in activities on the dev server:
 * which steps an edit costs, the park an invoiced order takes, and the operator's retry that
 * accepts the store's order. The real activities are proven in `edits-after-posting.test.ts`.
 */
describe('OrderToCash edits after posting (dev server, stand-in activities)', () => {
  const config = testConfig();
  let client: Client & { close(): Promise<void> };
  let worker: RunningTestWorker;
  let world = new EditWorld();

  beforeAll(async () => {
    client = await connectTestClient(config);
    worker = await startTestWorker({
      config,
      workflowsPath: require.resolve('../../../workflows/index.ts'),
      activities: delegatingActivities(() => world.activities() as OrderToCashActivities),
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await client?.close();
  });

  /** Starts the order in `scripted` and waits until it is posted and watching. */
  async function posted(scripted: EditWorld): Promise<WorkflowHandle> {
    world = scripted;
    const orderId = uniqueId('o');
    const handle = await client.workflow.start('orderToCash', {
      workflowId: orderToCashWorkflowId('acme', orderId),
      taskQueue: config.temporal.taskQueue,
      args: [{ tenantId: 'acme', storefront: 'bigcommerce', orderId, trigger: 'webhook' }],
    });
    await untilStep(handle, 'awaiting_fulfilment');
    expect(scripted.calls.at(-1)).toBe('writeBack:synced');
    scripted.calls = [];
    return handle;
  }
  const signalChange = (handle: WorkflowHandle) =>
    handle.signal(orderChangedSignal, { deliveryId: uniqueId('d'), topic: 'store/order/updated', occurredAt: new Date().toISOString() });
  const settled = (scripted: EditWorld, last: string) =>
    eventually(async () => scripted.calls.at(-1) === last, { what: `the order to reach ${last}`, timeoutMs: 20_000 });

  /** Posts an order, edits line 2 to 3 × TEE in the store, and waits for Intacct's refusal (`update`) to park it. */
  async function parkedByRefusedEdit(update: SalesOrderUpdate) {
    const scripted = new EditWorld();
    scripted.onPermanentFailure = 'unwind';
    scripted.update = update;
    const handle = await posted(scripted);
    scripted.edit((order) => ({ ...order, lines: [order.lines[0]!, { ...order.lines[1]!, quantity: 3, lineTotal: 4500 }] }), 'v2');
    await signalChange(handle);
    await untilStep(handle, 'parked');
    return { scripted, handle, parked: await handle.query(orderToCashStatusQuery) };
  }

  it('when a quantity changes before invoicing, then the sales order is updated once, and the same version signalled again costs one look', async () => {
    const scripted = new EditWorld();
    const handle = await posted(scripted);
    scripted.edit((order) => ({ ...order, lines: [order.lines[0]!, { ...order.lines[1]!, quantity: 3, lineTotal: 4500 }] }), 'v2');
    await signalChange(handle);
    await settled(scripted, 'readShipmentStatus');
    expect(scripted.calls).toEqual([
      'detectStorefrontOrderChange',
      'fetchStorefrontOrder',
      'checkOrder',
      'resolveItems',
      'buildSalesDocument',
      'updateSalesOrderToMatch',
      'readShipmentStatus',
    ]);

    scripted.calls = [];
    await signalChange(handle);
    await signalChange(handle);
    await settled(scripted, 'detectStorefrontOrderChange');
    expect((await handle.query(orderToCashStatusQuery)).step).toBe('awaiting_fulfilment');
    expect(scripted.calls.every((call) => call === 'detectStorefrontOrderChange')).toBe(true);
    await handle.terminate('test over');
  });

  it('when the new version changes nothing the books hold, then no step runs after the check', async () => {
    const scripted = new EditWorld();
    const handle = await posted(scripted);
    scripted.edit((order) => ({ ...order, status: '9' }), 'v2');
    await signalChange(handle);
    await settled(scripted, 'readShipmentStatus');
    expect(scripted.calls).toEqual(['detectStorefrontOrderChange', 'fetchStorefrontOrder', 'checkOrder', 'readShipmentStatus']);
    await handle.terminate('test over');
  });

  it('when the order is edited while parked after its document exists, then the retry posts the rest and brings the document in line', async () => {
    const scripted = new EditWorld();
    scripted.writeBackRefused = true;
    world = scripted;
    const orderId = uniqueId('o');
    const handle = await client.workflow.start('orderToCash', {
      workflowId: orderToCashWorkflowId('acme', orderId),
      taskQueue: config.temporal.taskQueue,
      args: [{ tenantId: 'acme', storefront: 'bigcommerce', orderId, trigger: 'webhook' }],
    });
    await untilStep(handle, 'parked');
    await settled(scripted, 'writeBack:needs_attention');
    scripted.edit((order) => ({ ...order, lines: [order.lines[0]!, { ...order.lines[1]!, quantity: 1, lineTotal: 1500 }] }), 'v2');
    scripted.writeBackRefused = false;
    scripted.calls = [];
    await handle.executeUpdate(retryOrderUpdate);
    await settled(scripted, 'updateSalesOrderToMatch');
    await untilStep(handle, 'awaiting_fulfilment');
    expect(scripted.calls).toEqual([
      'fetchStorefrontOrder',
      'checkOrder',
      'resolveCustomer',
      'resolveItems',
      'writeBack:synced',
      'clearOrderAttention',
      'resolveItems',
      'buildSalesDocument',
      'updateSalesOrderToMatch',
    ]);
    await handle.terminate('test over');
  });

  it('when a run that did not post the order finds it invoiced with every line as the store has it, then it does not park', async () => {
    const scripted = new EditWorld();
    scripted.ledger = {
      state: 'synced',
      salesDocumentId: 'Sales Order-SO-0001',
      paymentKey: 'P-1',
      invoiceDocumentId: 'Sales Invoice-INV-0001',
      storefrontStamp: 'v1',
    };
    scripted.update = { state: 'invoiced', intacctState: 'Converted', differences: [] };
    // The merchant marked the order completed: a new version, nothing the books hold.
    scripted.edit((order) => ({ ...order, status: '10' }), 'v2');
    world = scripted;
    const orderId = uniqueId('o');
    const handle = await client.workflow.signalWithStart('orderToCash', {
      workflowId: orderToCashWorkflowId('acme', orderId),
      taskQueue: config.temporal.taskQueue,
      args: [{ tenantId: 'acme', storefront: 'bigcommerce', orderId, trigger: 'webhook' }],
      signal: orderChangedSignal,
      signalArgs: [{ deliveryId: uniqueId('d'), topic: 'store/order/statusUpdated', occurredAt: new Date().toISOString() }],
    });
    await settled(scripted, 'readShipmentStatus');
    expect(scripted.calls).toEqual([
      'loadTenantSettings',
      'detectStorefrontOrderChange',
      'fetchStorefrontOrder',
      'checkOrder',
      'resolveCustomer',
      'resolveItems',
      'buildSalesDocument',
      'updateSalesOrderToMatch',
      'readShipmentStatus',
    ]);
    const status = await handle.query(orderToCashStatusQuery);
    expect(status.step).toBe('awaiting_fulfilment');
    expect(status.attention).toBeUndefined();
    await handle.terminate('test over');
  });

  it('when Intacct shows the sales order invoiced, then the order parks as edited_after_invoicing without unwinding, and a retry accepts the store order', async () => {
    const { scripted, handle, parked } = await parkedByRefusedEdit({
      state: 'invoiced',
      intacctState: 'Converted',
      differences: [{ what: 'item TEE (line 2)', storeSays: '3 × 10.00 USD', intacctHolds: '2 × 10.00 USD' }],
    });
    expect(parked.attention).toMatchObject({
      code: 'edited_after_invoicing',
      // This run sent the order, so it says what changed in the store's terms.
      reason: expect.stringContaining('SKU TEE (line 2): the store says 3 × 15.00 USD, Intacct holds 2 × 15.00 USD'),
    });
    await settled(scripted, 'writeBack:needs_attention');
    expect(scripted.calls).not.toContain('cancelSalesDocument');
    expect(scripted.calls).not.toContain('reversePayment');

    scripted.calls = [];
    await handle.executeUpdate(retryOrderUpdate);
    await settled(scripted, 'readShipmentStatus');
    expect(scripted.calls).toEqual(['fetchStorefrontOrder', 'checkOrder', 'clearOrderAttention', 'readShipmentStatus']);
    const watching = await handle.query(orderToCashStatusQuery);
    expect(watching.step).toBe('awaiting_fulfilment');
    expect(watching.attention).toBeUndefined();

    // The accepted version is what the order now holds: the same version again changes nothing.
    scripted.calls = [];
    scripted.stamp = 'v3';
    await signalChange(handle);
    await settled(scripted, 'readShipmentStatus');
    expect(scripted.calls).not.toContain('updateSalesOrderToMatch');
    await handle.terminate('test over');
  });

  it('when the edit changes the tax of a line taxed per line, then the order parks as edit_changes_line_tax naming the line, and a retry accepts the store order', async () => {
    const { scripted, handle, parked } = await parkedByRefusedEdit({
      state: 'tax_not_updatable',
      intacctState: 'Pending',
      differences: [
        { what: 'item TEE (line 2)', storeSays: '3 × 15.00 USD', intacctHolds: '2 × 15.00 USD' },
        { what: 'tax of item TEE (line 2)', storeSays: '3.71 US Sales Tax 8.25', intacctHolds: 'the tax first posted' },
      ],
    });
    expect(parked.attention).toMatchObject({
      code: 'edit_changes_line_tax',
      reason: expect.stringContaining('tax of item TEE (line 2): the store says 3.71 US Sales Tax 8.25'),
    });
    await settled(scripted, 'writeBack:needs_attention');
    expect(scripted.calls).not.toContain('cancelSalesDocument');

    scripted.calls = [];
    await handle.executeUpdate(retryOrderUpdate);
    await settled(scripted, 'readShipmentStatus');
    expect((await handle.query(orderToCashStatusQuery)).attention).toBeUndefined();
    await handle.terminate('test over');
  });
});

async function untilStep(handle: WorkflowHandle, step: string): Promise<void> {
  await eventually(async () => (await handle.query(orderToCashStatusQuery)).step === step, {
    what: `the order to reach ${step}`,
    timeoutMs: 20_000,
  });
}
