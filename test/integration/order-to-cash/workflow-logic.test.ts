/* eslint-disable @typescript-eslint/require-await -- the stand-in activities answer at once, but must be async like the real ones */
import { createRequire } from 'node:module';
import { ApplicationFailure } from '@temporalio/common';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureToRecord } from '../../../workflows/order-to-cash-captures-contract.js';
import type { OrderAnomalyCheck } from '../../../workflows/order-anomaly-contract.js';
import type { OrderCheck, OrderSyncPlan, OrderToCashActivities } from '../../../workflows/order-to-cash-contract.js';
import {
  approveOrderUpdate,
  cancelOrderUpdate,
  orderChangedSignal,
  orderToCashStatusQuery,
  orderToCashWorkflowId,
  retryOrderUpdate,
  type OrderToCashInput,
  type OrderToCashResult,
} from '../../../workflows/order-to-cash-contract.js';
import { aCanonicalOrder } from '../../support/builders.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, testConfig, uniqueId } from '../../support/harness.js';
import { delegatingActivities, startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';
import '../../support/quiet-runtime.js';

/**
 * The workflow's own logic, with every activity replaced by an in-memory stand-in, on the dev
 * server (the time-skipping server has no custom search attributes): the order of steps, parking and retry, waiting, cancellation and
 * compensations, the ledger's memory across runs. The real activities are proven against
 * the sandboxes in the end-to-end tests.
 */
const require = createRequire(import.meta.url);

const order = aCanonicalOrder();

/** A scriptable world: what the storefront says, what resolves, which calls were made. */
class World {
  calls: string[] = [];
  status = '11';
  unknownSkus: string[] = [];
  createFailures: ApplicationFailure[] = [];
  ledger: OrderSyncPlan['ledger'] = { state: 'new' };
  plan: Omit<OrderSyncPlan, 'ledger'> = {
    settingsVersion: 3,
    transactionDefinition: 'Sales Order',
    waitForStatusHours: 72,
    fulfilment: { convertToInvoice: false, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60, watchDays: 0 },
    onPermanentFailure: 'park',
  };
  shipments = { storefront: 0 };
  /** How long recording a park takes: long enough for an operator's retry to arrive meanwhile. */
  parkDelayMs = 0;
  /** Waking the order's waiting refunds fails (it is best effort). */
  wakeFails = false;
  /** Captures after posting that the storefront's transactions show and no payment accounts for. */
  captures: CaptureToRecord[] = [];
  captureFailures: ApplicationFailure[] = [];
  /** What each write-back was told of the order version it writes to. */
  writeBacks: Array<{ state: string; changeSignalledSinceFetch?: boolean }> = [];
  /** Creating the document waits for this, so a test can signal the order meanwhile. */
  createHeld: Promise<void> = Promise.resolve();
  /** What the anomaly checks answer, one per call (then: post); asked only when the plan says a check is on. */
  anomalyChecks: OrderAnomalyCheck[] = [];

  /** Every activity but the storefront-change look and the edit that follows one: this world never signals a change to the order. */
  activities(): Omit<OrderToCashActivities, 'detectStorefrontOrderChange' | 'updateSalesOrderToMatch'> {
    const record = (name: string) => this.calls.push(name);
    return {
      loadTenantSettings: async () => (record('loadTenantSettings'), { ...this.plan, ledger: this.ledger }),
      fetchStorefrontOrder: async () => (record('fetchStorefrontOrder'), { ...order, status: this.status }),
      checkOrder: async ({ order: current }): Promise<OrderCheck> => {
        record('checkOrder');
        if (current.status === '5') return { action: 'cancel', reason: 'status 5 cancels the order' };
        if (current.status !== '11') return { action: 'wait', reason: `status ${current.status} is not a status that syncs yet` };
        return { action: 'sync' };
      },
      checkOrderAnomalies: async () => (record('checkOrderAnomalies'), this.anomalyChecks.shift() ?? { action: 'post', flagged: false }),
      resolveCustomer: async () => (record('resolveCustomer'), { resolved: true, customerId: 'C-1001', source: 'mapping' }),
      resolveItems: async () => {
        record('resolveItems');
        if (this.unknownSkus.length > 0) {
          return {
            resolved: false,
            missingSkus: this.unknownSkus,
            attention: { code: 'unknown_sku', reason: `unknown SKUs ${this.unknownSkus.join(', ')}`, fix: 'map them' },
          };
        }
        return { resolved: true, items: { '1': { itemId: 'MUG-CER-12OZ' } } };
      },
      buildSalesDocument: async () => (
        record('buildSalesDocument'),
        {
          transactionDefinition: 'Sales Order',
          date: '2026-11-02',
          customerId: 'C-1001',
          referenceNumber: '500',
          lines: [{ itemId: 'MUG-CER-12OZ', quantity: '1', price: '10.00' }],
        }
      ),
      createSalesDocument: async () => {
        record('createSalesDocument');
        await this.createHeld;
        const failure = this.createFailures.shift();
        if (failure) throw failure;
        return { documentId: 'Sales Order-SO-0001', created: true };
      },
      recordPayment: async () => (record('recordPayment'), { recorded: true, paymentKey: 'P-1', created: true }),
      findCapturesToRecord: async () => (record('findCapturesToRecord'), { captures: this.captures, voided: false }),
      recordCapturePayment: async ({ capture }) => {
        record('recordCapturePayment');
        const failure = this.captureFailures.shift();
        if (failure) throw failure;
        this.captures = this.captures.filter((left) => left.transactionId !== capture.transactionId);
        return { paymentKey: `P-C${capture.transactionId}`, created: true };
      },
      writeBackToStorefront: async ({ state, changeSignalledSinceFetch }) => {
        record(`writeBack:${state}`);
        this.writeBacks.push({ state, ...(changeSignalledSinceFetch !== undefined && { changeSignalledSinceFetch }) });
        return undefined;
      },
      parkOrder: async ({ attention }) => {
        record(`park:${attention.code}`);
        await new Promise((resolve) => setTimeout(resolve, this.parkDelayMs));
      },
      clearOrderAttention: async () => void record('clearOrderAttention'),
      recordOrderSkipped: async () => void record('recordOrderSkipped'),
      reversePayment: async () => void record('reversePayment'),
      cancelSalesDocument: async () => (record('cancelSalesDocument'), { cancelled: true }),
      recordOrderCancelled: async () => void record('recordOrderCancelled'),
      readShipmentStatus: async () => (
        record('readShipmentStatus'),
        {
          storefrontShipments: Array.from({ length: this.shipments.storefront }, (_, index) => ({
            trackingNumber: `1Z${index}`,
            shipmentId: String(index + 1),
            lines: [{ lineId: '1', quantity: 1 }],
          })),
          intacctShipmentsToSync: [],
          fulfilled: this.shipments.storefront > 0,
          orderLines: [{ lineId: '1', quantity: 1 }],
        }
      ),
      syncShipmentToStorefront: async () => (record('syncShipmentToStorefront'), { added: true }),
      convertToInvoice: async () => (record('convertToInvoice'), { invoiceDocumentId: 'Sales Invoice-INV-0001', created: true }),
      wakeWaitingRefunds: async ({ reason }) => {
        record(`wakeWaitingRefunds:${reason}`);
        if (this.wakeFails) throw ApplicationFailure.nonRetryable('visibility is down');
        return { woken: 0 };
      },
    };
  }
}

describe('OrderToCash workflow logic (dev server, stand-in activities)', () => {
  const config = testConfig();
  let client: Client & { close(): Promise<void> };
  let worker: RunningTestWorker;
  /** The world the running test scripted; the one worker's activities delegate to it. */
  let world = new World();
  const env = {
    get client() {
      return client;
    },
  };

  beforeAll(async () => {
    client = await connectTestClient(config);
    worker = await startTestWorker({
      config,
      workflowsPath: require.resolve('../../../workflows/index.ts'),
      activities: delegatingActivities(() => world.activities()),
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await client?.close();
  });

  async function run<T>(
    scripted: World,
    body: (start: () => Promise<{ workflowId: string; result: () => Promise<OrderToCashResult> }>) => Promise<T>,
  ): Promise<T> {
    world = scripted;
    return body(async () => {
      const input: OrderToCashInput = { tenantId: 'acme', storefront: 'bigcommerce', orderId: uniqueId('o'), trigger: 'webhook' };
      const handle = await env.client.workflow.start('orderToCash', {
        workflowId: orderToCashWorkflowId(input.tenantId, input.orderId),
        taskQueue: config.temporal.taskQueue,
        args: [input],
      });
      return { workflowId: handle.workflowId, result: () => handle.result() as Promise<OrderToCashResult> };
    });
  }

  it('when everything resolves, then the steps run in the order of the story and the order ends synced', async () => {
    const world = new World();
    const result = await run(world, async (start) => (await start()).result());
    expect(result.outcome).toBe('synced');
    expect(result.status.intacct).toEqual({ customerId: 'C-1001', salesDocumentId: 'Sales Order-SO-0001', paymentKey: 'P-1' });
    expect(world.calls).toEqual([
      'loadTenantSettings',
      'fetchStorefrontOrder',
      'checkOrder',
      'resolveCustomer',
      'resolveItems',
      'buildSalesDocument',
      'createSalesDocument',
      'wakeWaitingRefunds:posted',
      'recordPayment',
      'writeBack:synced',
    ]);
  });

  it('when waking the refunds that wait for the order fails, then the order goes on regardless', async () => {
    const world = new World();
    world.wakeFails = true;
    const result = await run(world, async (start) => (await start()).result());
    expect(result.outcome).toBe('synced');
    expect(world.calls).toContain('wakeWaitingRefunds:posted');
    expect(world.calls.at(-1)).toBe('writeBack:synced');
  });

  it('when the store signals a change while the document is created, then the write-back is told so (it reads the order again rather than trust the header fetched before)', async () => {
    const world = new World();
    let release!: () => void;
    world.createHeld = new Promise((resolve) => (release = resolve));
    await run(world, async (start) => {
      const { workflowId, result } = await start();
      await eventually(() => world.calls.includes('createSalesDocument'), { what: 'the document to be under way' });
      await env.client.workflow
        .getHandle(workflowId)
        .signal(orderChangedSignal, { deliveryId: 'd-9', topic: 'store/order/updated', occurredAt: '2026-11-02T10:00:00Z' });
      release();
      return result();
    });
    expect(world.writeBacks[0]).toEqual({ state: 'synced', changeSignalledSinceFetch: true });

    const quiet = new World();
    expect((await run(quiet, async (start) => (await start()).result())).outcome).toBe('synced');
    expect(quiet.writeBacks).toEqual([{ state: 'synced' }]);
  });

  it('when a SKU is unknown, then the order is parked with it, and an operator retry after the fix completes it', async () => {
    const world = new World();
    world.unknownSkus = ['NOPE-1'];
    const result = await run(world, async (start) => {
      const { workflowId, result } = await start();
      const handle = env.client.workflow.getHandle(workflowId);
      await untilStep(handle, 'parked');
      const parked = await handle.query(orderToCashStatusQuery);
      expect(parked.attention).toMatchObject({ code: 'unknown_sku', reason: expect.stringContaining('NOPE-1') });
      world.unknownSkus = [];
      await handle.executeUpdate(retryOrderUpdate);
      return result();
    });
    expect(result.outcome).toBe('synced');
    expect(result.status.attention).toBeUndefined();
    expect(world.calls.filter((call) => call === 'createSalesDocument')).toHaveLength(1);
    expect(world.calls).toContain('park:unknown_sku');
    expect(world.calls).toContain('writeBack:needs_attention');
    expect(world.calls.at(-1)).toBe('clearOrderAttention');
  });

  it('when the retry arrives while the park is still being recorded, then it is not lost and the order completes', async () => {
    const world = new World();
    world.unknownSkus = ['NOPE-3'];
    world.parkDelayMs = 1_500;
    const result = await run(world, async (start) => {
      const { workflowId, result } = await start();
      const handle = env.client.workflow.getHandle(workflowId);
      await untilStep(handle, 'parked');
      world.unknownSkus = [];
      await handle.executeUpdate(retryOrderUpdate);
      return result();
    });
    expect(result.outcome).toBe('synced');
  });

  it('when retry is asked of an order that is not parked, then the update is refused and nothing changes', async () => {
    const world = new World();
    world.status = '1';
    await run(world, async (start) => {
      const { workflowId } = await start();
      const handle = env.client.workflow.getHandle(workflowId);
      await untilStep(handle, 'waiting_for_status');
      const refusal = await handle.executeUpdate(retryOrderUpdate).then(
        () => undefined,
        (error: Error) => error,
      );
      expect((refusal?.cause as Error | undefined)?.message).toBe('cannot retry an order that is waiting for status');
      expect((await handle.query(orderToCashStatusQuery)).step).toBe('waiting_for_status');
      await handle.terminate('test over');
    });
  });

  it('when the order is not yet in a syncing status, then it waits for a later status and syncs on the signal', async () => {
    const world = new World();
    world.status = '1';
    const result = await run(world, async (start) => {
      const { workflowId, result } = await start();
      const handle = env.client.workflow.getHandle(workflowId);
      await untilStep(handle, 'waiting_for_status');
      world.status = '11';
      await handle.signal(orderChangedSignal, {
        deliveryId: 'd-2',
        topic: 'store/order/statusUpdated',
        occurredAt: '2026-11-02T16:00:00Z',
      });
      return result();
    });
    expect(result.outcome).toBe('synced');
    expect(world.calls.filter((call) => call === 'fetchStorefrontOrder')).toHaveLength(2);
  });

  it('when no syncing status arrives within the limit, then the order is parked, and an operator approval posts it', async () => {
    const world = new World();
    world.status = '1';
    // Two seconds instead of days: settings allow whole hours, the stand-in can say anything.
    world.plan.waitForStatusHours = 2 / 3600;
    const result = await run(world, async (start) => {
      const { workflowId, result } = await start();
      const handle = env.client.workflow.getHandle(workflowId);
      await eventually(() => world.calls.includes('park:status_wait_expired'), {
        what: 'the status wait to expire and park',
        timeoutMs: 20_000,
      });
      await handle.executeUpdate(approveOrderUpdate);
      return result();
    });
    expect(result.outcome).toBe('synced');
    expect(world.calls).toContain('createSalesDocument');
  });

  const held: OrderAnomalyCheck = {
    action: 'hold',
    attention: {
      code: 'anomaly_hold',
      reason: "held before posting: the order's total is 40× the tenant's usual USD total",
      fix: 'approve it to post it as it is, or cancel it',
      details: { findings: [{ check: 'totalOutlier', figures: { total: 400_000, usualTotal: 10_000 } }] },
    },
  };

  it('when the tenant checks for anomalies and one holds the order, then it parks before the document; approved, it posts once without checking again', async () => {
    const world = new World();
    world.plan.anomalyChecks = true;
    world.anomalyChecks = [held];
    const result = await run(world, async (start) => {
      const { workflowId, result } = await start();
      const handle = env.client.workflow.getHandle(workflowId);
      await untilStep(handle, 'parked');
      expect((await handle.query(orderToCashStatusQuery)).attention).toEqual({
        code: 'anomaly_hold',
        reason: held.attention.reason,
        fix: held.attention.fix,
      });
      expect(world.calls).not.toContain('createSalesDocument');
      await handle.executeUpdate(approveOrderUpdate);
      return result();
    });
    expect(result.outcome).toBe('synced');
    expect(world.calls).toEqual([
      'loadTenantSettings',
      'fetchStorefrontOrder',
      'checkOrder',
      'resolveCustomer',
      'resolveItems',
      'checkOrderAnomalies',
      'park:anomaly_hold',
      'writeBack:needs_attention',
      'fetchStorefrontOrder',
      'checkOrder',
      'resolveCustomer',
      'resolveItems',
      'buildSalesDocument',
      'createSalesDocument',
      'wakeWaitingRefunds:posted',
      'recordPayment',
      'writeBack:synced',
      'clearOrderAttention',
    ]);
  });

  it('when a held order is retried rather than approved, then it is checked again and stays held', async () => {
    const world = new World();
    world.plan.anomalyChecks = true;
    world.anomalyChecks = [held, held];
    await run(world, async (start) => {
      const { workflowId } = await start();
      const handle = env.client.workflow.getHandle(workflowId);
      await untilStep(handle, 'parked');
      await handle.executeUpdate(retryOrderUpdate);
      await eventually(() => world.calls.filter((call) => call === 'park:anomaly_hold').length === 2 || undefined, {
        what: 'the retried order to be held again',
      });
      expect(world.calls.filter((call) => call === 'checkOrderAnomalies')).toHaveLength(2);
      expect(world.calls).not.toContain('createSalesDocument');
      await handle.terminate('test over');
    });
  });

  it('when an order approved after a status wait is then held by an anomaly check, then that approval does not post it; a second approval does', async () => {
    const world = new World();
    world.status = '1';
    world.plan.waitForStatusHours = 2 / 3600;
    world.plan.anomalyChecks = true;
    world.anomalyChecks = [held];
    const result = await run(world, async (start) => {
      const { workflowId, result } = await start();
      const handle = env.client.workflow.getHandle(workflowId);
      await eventually(() => world.calls.includes('park:status_wait_expired'), { what: 'the status wait to park', timeoutMs: 20_000 });
      await handle.executeUpdate(approveOrderUpdate);
      await eventually(() => world.calls.includes('park:anomaly_hold'), { what: 'the anomaly hold' });
      expect(world.calls).not.toContain('createSalesDocument');
      await handle.executeUpdate(approveOrderUpdate);
      return result();
    });
    expect(result.outcome).toBe('synced');
    expect(world.calls.filter((call) => call === 'createSalesDocument')).toHaveLength(1);
    expect(world.calls.filter((call) => call === 'checkOrderAnomalies')).toHaveLength(1);
  });

  it('when no anomaly check is on, then the checks are never asked', async () => {
    const world = new World();
    world.anomalyChecks = [held];
    const result = await run(world, async (start) => (await start()).result());
    expect(result.outcome).toBe('synced');
    expect(world.calls).not.toContain('checkOrderAnomalies');
  });

  it('when Intacct refuses the document for good, then the order is parked with the vendor message; fixed and retried, it posts once', async () => {
    const world = new World();
    world.createFailures = [
      ApplicationFailure.create({
        type: 'IntacctInputError',
        message: 'BL01001973 period is closed',
        nonRetryable: true,
        details: [{ failureClass: 'input', errorno: 'BL01001973' }],
      }),
    ];
    const result = await run(world, async (start) => {
      const { workflowId, result } = await start();
      const handle = env.client.workflow.getHandle(workflowId);
      await untilStep(handle, 'parked');
      expect((await handle.query(orderToCashStatusQuery)).attention).toMatchObject({
        code: 'rejected',
        reason: 'creating the sales document failed: BL01001973 period is closed',
      });
      await handle.executeUpdate(retryOrderUpdate);
      return result();
    });
    expect(result.outcome).toBe('synced');
    expect(world.calls.filter((call) => call === 'createSalesDocument')).toHaveLength(2);
  });

  it('when Intacct refuses a remembered customer, then the steps run once more at once without parking; refused again in a row, the order parks, and a retry posts it once', async () => {
    const world = new World();
    const staleCustomer = () =>
      ApplicationFailure.create({
        type: 'LearnedCustomerStale',
        message: "Intacct refused customer BC-2, which the product had remembered for this shopper (Invalid Customer 'BC-2' specified.)",
        nonRetryable: true,
        details: [{ failureClass: 'input', customerId: 'BC-2' }],
      });
    world.createFailures = [staleCustomer(), staleCustomer()];
    const pass = ['fetchStorefrontOrder', 'checkOrder', 'resolveCustomer', 'resolveItems', 'buildSalesDocument', 'createSalesDocument'];
    const result = await run(world, async (start) => {
      const { workflowId, result } = await start();
      const handle = env.client.workflow.getHandle(workflowId);
      await untilStep(handle, 'parked');
      expect((await handle.query(orderToCashStatusQuery)).attention).toMatchObject({ code: 'learned_customer_stale' });
      expect(world.calls.slice(0, 14)).toEqual(['loadTenantSettings', ...pass, ...pass, 'park:learned_customer_stale']);
      await handle.executeUpdate(retryOrderUpdate);
      return result();
    });
    expect(result.outcome).toBe('synced');
    expect(world.calls.filter((call) => call === 'createSalesDocument')).toHaveLength(3);
    expect(world.calls.filter((call) => call.startsWith('park:'))).toHaveLength(1);
  });

  it('when the order is cancelled after its document and payment exist, then the payment is reversed before the document is cancelled, once', async () => {
    const world = new World();
    world.plan.fulfilment.watchDays = 30;
    const result = await run(world, async (start) => {
      const { workflowId, result } = await start();
      const handle = env.client.workflow.getHandle(workflowId);
      await untilStep(handle, 'awaiting_fulfilment');
      world.status = '5';
      await handle.signal(orderChangedSignal, {
        deliveryId: 'd-3',
        topic: 'store/order/statusUpdated',
        occurredAt: '2026-11-03T10:00:00Z',
      });
      return result();
    });
    expect(result.outcome).toBe('cancelled');
    expect(result.status.intacct).toEqual({});
    const tail = world.calls
      .slice(world.calls.indexOf('writeBack:synced') + 1)
      .filter((call) => call !== 'fetchStorefrontOrder' && call !== 'checkOrder');
    expect(tail).toEqual(['reversePayment', 'cancelSalesDocument', 'recordOrderCancelled', 'writeBack:cancelled']);
  });

  it('when a payment captured after posting is refused for good, then the order is parked and running, not failed; retried, the capture is recorded once and the watch goes on', async () => {
    const world = new World();
    world.plan.fulfilment.watchDays = 30;
    world.captures = [{ transactionId: '9', amount: 1000, applicable: 1000, capturedAt: '2026-11-03T10:00:00Z' }];
    world.captureFailures = [
      ApplicationFailure.create({ type: 'IntacctInputError', message: 'BL01001973 invalid account', nonRetryable: true }),
    ];
    const result = await run(world, async (start) => {
      const { workflowId, result } = await start();
      const handle = env.client.workflow.getHandle(workflowId);
      await untilStep(handle, 'awaiting_fulfilment');
      await handle.signal(orderChangedSignal, {
        deliveryId: 'd-t',
        topic: 'store/order/transaction/created',
        occurredAt: '2026-11-03T10:00:00Z',
      });
      await untilStep(handle, 'parked');
      expect((await handle.query(orderToCashStatusQuery)).attention?.reason).toContain('recording a payment captured after posting');
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await handle.executeUpdate(retryOrderUpdate);
      const watching = await eventually(() => handle.query(orderToCashStatusQuery), {
        until: (status) => status.step === 'awaiting_fulfilment' && status.intacct.capturePaymentKeys !== undefined,
        what: 'the capture to be recorded',
      });
      expect(watching.intacct.capturePaymentKeys).toEqual(['P-C9']);
      // Once the watch waits again (its look at shipments after the park), a repeated webhook finds nothing new.
      await eventually(async () => world.calls.slice(world.calls.lastIndexOf('clearOrderAttention')).includes('readShipmentStatus'), {
        what: 'the watch to wait again',
      });
      await handle.signal(orderChangedSignal, {
        deliveryId: 'd-t2',
        topic: 'store/order/transaction/created',
        occurredAt: '2026-11-03T10:00:01Z',
      });
      await eventually(async () => world.calls.filter((call) => call === 'findCapturesToRecord').length === 3, { what: 'a third look' });
      await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'test over' }] });
      return result();
    });
    expect(result.outcome).toBe('cancelled');
    expect(world.calls.filter((call) => call === 'recordCapturePayment')).toHaveLength(2);
    expect(world.calls).toContain('writeBack:needs_attention');
    expect(world.calls).toContain('clearOrderAttention');
    expect(world.calls.filter((call) => call === 'reversePayment')).toHaveLength(2);
  });

  it('when an operator cancels a parked order that has nothing in Intacct, then no compensation runs and the order ends cancelled', async () => {
    const world = new World();
    world.unknownSkus = ['NOPE-2'];
    const result = await run(world, async (start) => {
      const { workflowId, result } = await start();
      const handle = env.client.workflow.getHandle(workflowId);
      await untilStep(handle, 'parked');
      await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'duplicate order' }] });
      return result();
    });
    expect(result).toMatchObject({ outcome: 'cancelled', status: { note: 'cancelled by an operator: duplicate order' } });
    expect(world.calls).not.toContain('reversePayment');
    expect(world.calls).not.toContain('cancelSalesDocument');
    expect(world.calls).toContain('recordOrderCancelled');
  });

  it('when the ledger shows an earlier run posted the order and its payment, then nothing is fetched or created again', async () => {
    const world = new World();
    world.ledger = { state: 'synced', salesDocumentId: 'Sales Order-SO-0042', paymentKey: 'P-42' };
    const result = await run(world, async (start) => (await start()).result());
    expect(result.outcome).toBe('synced');
    expect(result.status.intacct.salesDocumentId).toBe('Sales Order-SO-0042');
    expect(world.calls).toEqual(['loadTenantSettings']);
  });

  it('when an earlier run posted the order and a new run watches it, then it looks at the shipments at once, not an Intacct poll interval later', async () => {
    const world = new World();
    world.ledger = { state: 'synced', salesDocumentId: 'Sales Order-SO-0042', paymentKey: 'P-42' };
    world.plan.fulfilment = { ...world.plan.fulfilment, pollIntacctMinutes: 60, watchDays: 30 };
    world.shipments.storefront = 1;
    // The dev server does not skip time: without the look at once this waits the 60-minute poll and times out.
    const result = await run(world, async (start) => (await start()).result());
    expect(result.outcome).toBe('synced');
    expect(world.calls.filter((call) => call === 'readShipmentStatus')).toHaveLength(1);
    expect(world.calls).not.toContain('fetchStorefrontOrder');
    expect(world.calls).not.toContain('createSalesDocument');
  });

  it('when a shipped sales order is watched and the tenant converts on shipment, then it is converted to an invoice once and the watch ends', async () => {
    const world = new World();
    world.plan.fulfilment = {
      convertToInvoice: true,
      invoiceTransactionDefinition: 'Sales Invoice',
      pollIntacctMinutes: 60,
      watchDays: 30,
    };
    const result = await run(world, async (start) => {
      const { workflowId, result } = await start();
      const handle = env.client.workflow.getHandle(workflowId);
      await untilStep(handle, 'awaiting_fulfilment');
      world.shipments.storefront = 1;
      await handle.signal(orderChangedSignal, { deliveryId: 'd-4', topic: 'store/shipment/created', occurredAt: '2026-11-04T10:00:00Z' });
      return result();
    });
    expect(result.outcome).toBe('synced');
    expect(result.status.intacct.invoiceDocumentId).toBe('Sales Invoice-INV-0001');
    expect(world.calls.filter((call) => call === 'convertToInvoice')).toHaveLength(1);
    expect(world.calls.indexOf('wakeWaitingRefunds:invoiced')).toBe(world.calls.indexOf('convertToInvoice') + 1);
  });
});

/** Waits until the order's workflow reports `step`. */
async function untilStep(handle: WorkflowHandle, step: string): Promise<void> {
  await eventually(async () => (await handle.query(orderToCashStatusQuery)).step === step, {
    what: `the order to reach ${step}`,
    timeoutMs: 20_000,
  });
}
