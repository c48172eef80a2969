/* eslint-disable @typescript-eslint/require-await -- the stand-in activities answer at once, but must be async like the real ones */
import { createRequire } from 'node:module';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll } from 'vitest';
import type {
  ConvertToInvoiceInput,
  OrderSyncPlan,
  OrderToCashActivities,
  ShipmentRecord,
  ShipmentStatus,
  ShippedLine,
} from '../../../workflows/order-to-cash-contract.js';
import { orderToCashWorkflowId, type OrderToCashInput } from '../../../workflows/order-to-cash-contract.js';
import { aCanonicalOrder } from '../../support/builders.js';
import { connectTestClient, testConfig, uniqueId } from '../../support/harness.js';
import { delegatingActivities, startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';

/** The activities that run after posting, in the fulfilment watch. */
export type WatchActivity =
  'fetchStorefrontOrder' | 'checkOrder' | 'readShipmentStatus' | 'syncShipmentToStorefront' | 'convertToInvoice' | 'recordPayment';

/**
 * A scriptable world for the fulfilment watch, every activity an in-memory stand-in: the order
 * posts at once, then the watch sees what the test sets (shipments, a change, failures of its
 * activities). `calls` is every activity called, in order.
 */
export class WatchWorld {
  readonly calls: string[] = [];
  plan: Omit<OrderSyncPlan, 'ledger'> = {
    settingsVersion: 1,
    transactionDefinition: 'Sales Order',
    waitForStatusHours: 72,
    fulfilment: { convertToInvoice: true, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60, watchDays: 30 },
    onPermanentFailure: 'park',
  };
  /** The order's lines and their units. */
  orderLines: ShippedLine[] = [{ lineId: '1', quantity: 1 }];
  /** The store's shipments of the order. */
  storefrontShipments: ShipmentRecord[] = [];
  /** What each conversion was asked to invoice. */
  readonly conversions: ConvertToInvoiceInput[] = [];
  /** Intacct has a shipment the store has not (besides the store's own, when it has one). */
  intacctShipment = false;
  /** The sales order posts no AR invoice, so the payment waits for the invoice. */
  paymentWaitsForInvoice = false;
  /** The payment after posting (a cash receipt) is refused for good. */
  refusePayment = false;
  /** Activities that, once the order is posted, fail with this failure (cleared by the test to let them through). */
  readonly failing = new Map<WatchActivity, () => ApplicationFailure>();
  private posted = false;

  /** A refusal: the vendor said no, and no retry changes that. */
  /** The store ships everything that is left in one shipment. */
  shipAll(): void {
    const shipped = new Map<string, number>();
    for (const shipment of this.storefrontShipments)
      for (const line of shipment.lines ?? []) shipped.set(line.lineId, (shipped.get(line.lineId) ?? 0) + line.quantity);
    this.ship(this.orderLines.map((line) => ({ lineId: line.lineId, quantity: line.quantity - (shipped.get(line.lineId) ?? 0) })));
  }

  /** The store ships these units, tracking `1ZSTORE` for the first shipment, `1ZSTORE2`… after. */
  ship(lines: ShippedLine[]): void {
    const number = this.storefrontShipments.length + 1;
    this.storefrontShipments.push({
      trackingNumber: number === 1 ? '1ZSTORE' : `1ZSTORE${number}`,
      shipmentId: String(number),
      lines: lines.filter((line) => line.quantity > 0),
    });
  }

  static refusal(activity: WatchActivity): () => ApplicationFailure {
    return () =>
      ApplicationFailure.create({
        type: 'IntacctInputError',
        message: `the vendor refused ${activity}`,
        nonRetryable: true,
        details: [{ failureClass: 'input' }],
      });
  }

  /** An outage: a 503 the activity's retries try again. */
  static outage(activity: WatchActivity): () => ApplicationFailure {
    return () =>
      ApplicationFailure.create({
        type: 'IntacctServerError',
        message: `503 while ${activity}`,
        details: [{ failureClass: 'retryable' }],
      });
  }

  private watchCall(name: WatchActivity): void {
    this.calls.push(name);
    const failure = this.posted ? this.failing.get(name) : undefined;
    if (failure !== undefined) throw failure();
  }

  activities(): Omit<OrderToCashActivities, 'detectStorefrontOrderChange' | 'updateSalesOrderToMatch'> {
    const record = (name: string) => void this.calls.push(name);
    return {
      loadTenantSettings: async () => (record('loadTenantSettings'), { ...this.plan, ledger: { state: 'new' } }),
      // Nothing is captured after posting in this world.
      findCapturesToRecord: async () => (record('findCapturesToRecord'), { captures: [], voided: false }),
      recordCapturePayment: () => Promise.reject(new Error('no capture is recorded in the watch world')),
      checkOrderAnomalies: () => Promise.reject(new Error('no tenant of the watch world has an anomaly check on')),
      fetchStorefrontOrder: async () => (this.watchCall('fetchStorefrontOrder'), aCanonicalOrder()),
      checkOrder: async () => (this.watchCall('checkOrder'), { action: 'sync' }),
      resolveCustomer: async () => (record('resolveCustomer'), { resolved: true, customerId: 'C-1001', source: 'mapping' }),
      resolveItems: async () => (record('resolveItems'), { resolved: true, items: { '1': { itemId: 'MUG' } } }),
      buildSalesDocument: async () => (
        record('buildSalesDocument'),
        {
          transactionDefinition: 'Sales Order',
          date: '2026-11-02',
          customerId: 'C-1001',
          referenceNumber: '500',
          lines: [{ itemId: 'MUG', quantity: '1', price: '10.00' }],
        }
      ),
      createSalesDocument: async () => (record('createSalesDocument'), { documentId: 'Sales Order-SO-0001', created: true }),
      recordPayment: async ({ arInvoiceKey }) => {
        if (this.paymentWaitsForInvoice && arInvoiceKey === undefined) {
          record('recordPayment');
          return { recorded: false, reason: 'the sales order has no AR invoice yet' };
        }
        if (this.refusePayment) {
          record('recordPayment');
          throw WatchWorld.refusal('recordPayment')();
        }
        this.watchCall('recordPayment');
        return { recorded: true, paymentKey: 'P-1', created: true };
      },
      writeBackToStorefront: async ({ state }) => {
        record(`writeBack:${state}`);
        if (state === 'synced') this.posted = true;
        return {};
      },
      parkOrder: async ({ attention }) => void record(`park:${attention.code}`),
      clearOrderAttention: async () => void record('clearOrderAttention'),
      recordOrderSkipped: async () => void record('recordOrderSkipped'),
      reversePayment: async () => void record('reversePayment'),
      cancelSalesDocument: async () => (record('cancelSalesDocument'), { cancelled: true }),
      recordOrderCancelled: async () => void record('recordOrderCancelled'),
      readShipmentStatus: async (): Promise<ShipmentStatus> => {
        this.watchCall('readShipmentStatus');
        const shipped = new Map<string, number>();
        for (const shipment of this.storefrontShipments)
          for (const line of shipment.lines ?? []) shipped.set(line.lineId, (shipped.get(line.lineId) ?? 0) + line.quantity);
        return {
          storefrontShipments: structuredClone(this.storefrontShipments),
          intacctShipmentsToSync: this.intacctShipment ? [{ trackingNumber: '1ZINTACCT', carrier: 'UPS' }] : [],
          fulfilled: this.orderLines.every((line) => (shipped.get(line.lineId) ?? 0) >= line.quantity),
          orderLines: this.orderLines,
        };
      },
      syncShipmentToStorefront: async () => (this.watchCall('syncShipmentToStorefront'), { added: true }),
      convertToInvoice: async (input) => {
        this.watchCall('convertToInvoice');
        this.conversions.push(input);
        const number = this.conversions.length;
        return { invoiceDocumentId: `Sales Invoice-INV-000${number}`, arInvoiceKey: `AR-${number}`, created: true };
      },
      wakeWaitingRefunds: async ({ reason }) => (record(`wakeWaitingRefunds:${reason}`), { woken: 0 }),
    };
  }
}

const require = createRequire(import.meta.url);

/**
 * A suite's worker on the dev server, in the suite's hooks, running OrderToCash over the world
 * the latest order was started in. Answers `start`, which begins a new order in `world`.
 */
export function useWatchWorldWorkflows(): (world: WatchWorld) => Promise<WorkflowHandle> {
  const config = testConfig();
  let client: Client & { close(): Promise<void> };
  let worker: RunningTestWorker;
  let current = new WatchWorld();

  beforeAll(async () => {
    client = await connectTestClient(config);
    worker = await startTestWorker({
      config,
      workflowsPath: require.resolve('../../../workflows/index.ts'),
      activities: delegatingActivities(() => current.activities()),
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await client?.close();
  });

  return (world) => {
    current = world;
    const input: OrderToCashInput = { tenantId: 'acme', storefront: 'bigcommerce', orderId: uniqueId('o'), trigger: 'webhook' };
    return client.workflow.start('orderToCash', {
      workflowId: orderToCashWorkflowId(input.tenantId, input.orderId),
      taskQueue: config.temporal.taskQueue,
      args: [input],
    });
  };
}
