import {
  condition,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { FetchedStorefrontOrder, OrderSyncPlan, OrderToCashActivities, WriteBackResult } from './order-to-cash-contract.js';
import type { AttentionNotice, OrderRef } from './shared-contract.js';
import type { CanonicalOrder } from '../mappers/canonical-order.js';
import { bookkeepingOptions, transientRetryDelay, vendorCallOptions } from './activity-options.js';
import {
  approveOrderUpdate,
  cancelOrderUpdate,
  orderChangedSignal,
  orderToCashStatusQuery,
  retryOrderUpdate,
  type OrderChangedSignal,
  type OrderToCashInput,
  type OrderToCashResult,
  type OrderToCashStatus,
} from './order-to-cash-contract.js';
import { describeStepFailure } from './order-to-cash-failures.js';
import { IntacctDocument, SyncState } from './search-attributes.js';

const vendor = proxyActivities<OrderToCashActivities>(vendorCallOptions);
const bookkeeping = proxyActivities<OrderToCashActivities>(bookkeepingOptions);

const hour = 3_600_000;
const day = 24 * hour;

/** Histories recorded before change signals were checked against the order's stamp replay without the look. */
const storefrontStampPatch = 'storefront-order-stamp';

/** The order stops waiting and unwinds: an operator's cancel or a storefront cancellation. */
class CancellationRequested extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** An order that cannot go on until a person fixes something (or time cures an outage). */
class OrderParked extends Error {
  constructor(
    readonly attention: AttentionNotice,
    readonly transient: boolean,
  ) {
    super(attention.reason);
  }
}

/**
 * OrderToCash: one storefront order becomes exactly one Intacct sales document, its payment
 * one cash receipt, and its shipments flow back to the store. One workflow per order
 * (`order-to-cash:{tenantId}:{orderId}`); webhooks, the sweep and backfill all start or
 * signal the same one. Read top to bottom, the steps are:
 *
 *  1. load the tenant's settings and the ledger's memory of the order (a run started again for
 *     an order an earlier run finished ends here when the storefront has nothing new)
 *  2. fetch the order from the storefront as a canonical order
 *  3. gate it (statuses to sync, guests) and check that it balances to the cent
 *  4. resolve the customer, then the items
 *  5. map it to the tenant's sales document and create that exactly once
 *  6. record the payment exactly once
 *  7. write the document number back to the storefront
 *  8. watch for shipment (tracking back, conversion to invoice) and cancellation
 *
 * Whatever cannot be posted is parked in the attention queue and waits for an operator's
 * `retry` (or a storefront change); a cancellation runs the compensations in reverse.
 *
 * A storefront change signal first costs one look at the order's stamp: when the store still
 * has the version the workflow last acted on (the store's echo of the workflow's own write, a
 * late copy of a webhook), nothing is fetched and nothing else happens.
 */
export async function orderToCash(input: OrderToCashInput): Promise<OrderToCashResult> {
  const { workflowId } = workflowInfo();
  const ref: OrderRef = { tenantId: input.tenantId, storefront: input.storefront, orderId: input.orderId };
  const status: OrderToCashStatus = { step: 'loading', intacct: {}, shipmentsSynced: 0 };
  const storefrontName = input.storefront === 'bigcommerce' ? 'BigCommerce' : 'Clarity';

  // Operator and storefront inputs, consumed by the steps below.
  const changes: OrderChangedSignal[] = [];
  let retryRequested = false;
  let approved = false;
  let cancellation: string | undefined;

  setHandler(orderToCashStatusQuery, () => status);
  setHandler(orderChangedSignal, (change) => void changes.push(change));
  setHandler(
    retryOrderUpdate,
    () => {
      retryRequested = true;
      return status;
    },
    { validator: () => assertStep(['parked'], 'retry') },
  );
  setHandler(
    approveOrderUpdate,
    () => {
      approved = true;
      return status;
    },
    { validator: () => assertStep(['waiting_for_status', 'parked'], 'approve') },
  );
  setHandler(
    cancelOrderUpdate,
    ({ reason }) => {
      cancellation ??= `cancelled by an operator: ${reason}`;
      return status;
    },
    {
      validator: (_request: { reason: string }) =>
        assertStep(
          [
            'loading',
            'waiting_for_status',
            'checking',
            'resolving_customer',
            'resolving_items',
            'creating_sales_document',
            'recording_payment',
            'writing_back',
            'awaiting_fulfilment',
            'parked',
          ],
          'cancel',
        ),
    },
  );

  function assertStep(allowed: OrderToCashStatus['step'][], what: string): void {
    if (!allowed.includes(status.step)) throw new Error(`cannot ${what} an order that is ${status.step.replaceAll('_', ' ')}`);
  }

  // 1. The tenant's settings, and what an earlier run of this order already posted.
  const plan = await bookkeeping.loadTenantSettings.executeWithOptions(
    { ...bookkeepingOptions, summary: `Load tenant ${ref.tenantId}'s settings and the ledger` },
    [{ ...ref, workflowId }],
  );
  status.settingsVersion = plan.settingsVersion;
  adoptLedger(plan);

  let order: CanonicalOrder | undefined;
  /** The storefront's stamp of the order version the workflow last acted on (its own writes included); undefined when not known. */
  let storefrontStamp: string | undefined;
  let paymentPending = false;
  let arInvoiceKey: string | undefined = plan.ledger.arInvoiceKey;
  /** Effects to undo on cancellation, most recent last; each is idempotent. */
  const compensations: Array<{ summary: string; run: () => Promise<unknown> }> = [];
  registerKnownCompensations();

  try {
    if (await nothingNewSinceEarlierRun()) return finish(plan.ledger.state === 'cancelled' ? 'cancelled' : 'synced');

    // An earlier run that posted everything leaves nothing to post; anything less is completed
    // here (creation is skipped when the ledger has the document).
    const postedEarlier =
      plan.ledger.state === 'synced' && status.intacct.salesDocumentId !== undefined && status.intacct.paymentKey !== undefined;
    if (!postedEarlier && (await postUntilDone()) === 'skipped') return finish('skipped');
    setState('synced');

    // 8. Fulfilment: tracking back to the storefront, conversion to invoice; or a late cancellation.
    await watchFulfilment();
    return finish('synced');
  } catch (error) {
    if (!(error instanceof CancellationRequested)) throw error;
    return await cancelOrder(error.reason);
  }

  /** Steps 2–7 until the order is posted, parking whenever a person must act. */
  async function postUntilDone(): Promise<'posted' | 'skipped'> {
    for (;;) {
      try {
        return await postOrder();
      } catch (error) {
        if (!(error instanceof OrderParked)) throw error;
        await parkUntilRetried(error.attention, error.transient);
      }
    }
  }

  async function postOrder(): Promise<'posted' | 'skipped'> {
    // 2. The full order: webhooks are thin, and a later status may have arrived meanwhile.
    changes.length = 0;
    order = actOn(
      await step('loading', `Fetch order ${ref.orderId} from ${storefrontName}`, 'fetching the order from the storefront', () =>
        vendor.fetchStorefrontOrder.executeWithOptions(withSummary(`Fetch order ${ref.orderId} from ${storefrontName}`), [ref]),
      ),
    );

    // 3. The gate and the balance check.
    const check = await step('checking', 'Check status and totals', 'checking the order', () =>
      bookkeeping.checkOrder.executeWithOptions({ ...bookkeepingOptions, summary: `Check status ${order!.status} and totals` }, [
        { tenantId: ref.tenantId, order: order! },
      ]),
    );
    switch (check.action) {
      case 'park':
        throw new OrderParked(check.attention, false);
      case 'cancel':
        throw new CancellationRequested(check.reason);
      case 'skip':
        await bookkeeping.recordOrderSkipped({ ...ref, workflowId, code: check.code, reason: check.reason });
        status.note = check.reason;
        return 'skipped';
      case 'wait':
        if (!approved) {
          await waitForSyncingStatus(check.reason);
          return postOrder();
        }
        break;
      case 'sync':
        break;
    }

    // 4. Customer, then items; anything unresolved waits for the mapping tables to be fixed.
    const customer = await step('resolving_customer', 'Resolve the Intacct customer', 'resolving the customer', () =>
      vendor.resolveCustomer.executeWithOptions(withSummary(customerSummary(order!)), [{ tenantId: ref.tenantId, order: order! }]),
    );
    if (!customer.resolved) throw new OrderParked(customer.attention, false);
    status.intacct.customerId = customer.customerId;

    const items = await step('resolving_items', 'Resolve the Intacct items', 'resolving the items', () =>
      vendor.resolveItems.executeWithOptions(withSummary(`Resolve ${order!.lines.length} line(s) to Intacct items`), [
        { tenantId: ref.tenantId, order: order! },
      ]),
    );
    if (!items.resolved) throw new OrderParked(items.attention, false);

    // 5. The sales document, created exactly once.
    if (status.intacct.salesDocumentId === undefined) {
      const document = await step('creating_sales_document', 'Map to the sales document', 'mapping the order to a sales document', () =>
        bookkeeping.buildSalesDocument.executeWithOptions(
          {
            ...bookkeepingOptions,
            retry: { ...bookkeepingOptions.retry, maximumAttempts: 5 },
            summary: `Map to a ${plan.transactionDefinition}`,
          },
          [{ tenantId: ref.tenantId, order: order!, customerId: customer.customerId, items: items.items }],
        ),
      );
      const created = await step('creating_sales_document', `Create the ${plan.transactionDefinition}`, 'creating the sales document', () =>
        vendor.createSalesDocument.executeWithOptions(
          withSummary(`Create ${plan.transactionDefinition} for order ${ref.orderId} (${document.lines.length} lines)`),
          [{ ...ref, workflowId, settingsVersion: plan.settingsVersion, document }],
        ),
      );
      status.intacct.salesDocumentId = created.documentId;
      if (created.arInvoiceKey !== undefined) arInvoiceKey = created.arInvoiceKey;
      upsertSearchAttributes([{ key: IntacctDocument, value: created.documentId }]);
      compensateWith(`Cancel ${created.documentId}`, () => vendor.cancelSalesDocument({ ...ref, salesDocumentId: created.documentId }));
      await wakeWaitingRefunds('posted');
    }
    throwIfCancelled();

    // 6. The payment, exactly once; a document that has no AR invoice yet may have to wait for one.
    if (status.intacct.paymentKey === undefined && order.amountPaid > 0) await recordPayment(customer.customerId);
    throwIfCancelled();

    // 7. The document number back to the storefront.
    const written = await step(
      'writing_back',
      `Write back to ${storefrontName}`,
      'writing the document number back to the storefront',
      () =>
        vendor.writeBackToStorefront.executeWithOptions(withSummary(`Write ${status.intacct.salesDocumentId} back to ${storefrontName}`), [
          { ...ref, state: 'synced', salesDocumentId: status.intacct.salesDocumentId!, ...actedOnStamp() },
        ]),
    );
    rememberOwnWrite(written);
    if (status.attention !== undefined) {
      await bookkeeping.clearOrderAttention({ ...ref, workflowId });
      delete status.attention;
    }
    return 'posted';
  }

  async function recordPayment(customerId: string): Promise<void> {
    const payment = await step('recording_payment', 'Record the payment', 'recording the payment', () =>
      vendor.recordPayment.executeWithOptions(
        withSummary(`Record the ${order!.paymentMethod ?? 'storefront'} payment of order ${ref.orderId}`),
        [
          {
            ...ref,
            order: order!,
            customerId,
            salesDocumentId: status.intacct.salesDocumentId!,
            ...(arInvoiceKey !== undefined && { arInvoiceKey }),
          },
        ],
      ),
    );
    if (payment.recorded) {
      status.intacct.paymentKey = payment.paymentKey;
      paymentPending = false;
      const paymentKey = payment.paymentKey;
      compensateWith(`Reverse payment ${paymentKey}`, () => vendor.reversePayment({ ...ref, paymentKey }));
    } else {
      paymentPending = true;
      status.note = payment.reason;
    }
  }

  /** Waits for a later storefront status (a signal), an operator's approval or cancellation, up to the tenant's limit. */
  async function waitForSyncingStatus(reason: string): Promise<void> {
    status.step = 'waiting_for_status';
    status.note = reason;
    setState('waiting');
    setCurrentDetails(`Waiting: ${reason}`);
    const waitUntil = Date.now() + plan.waitForStatusHours * hour;
    let arrived: boolean;
    // A late copy of a webhook already acted on brings no new status: it costs one look, then the wait goes on.
    do {
      arrived = await condition(() => changes.length > 0 || approved || cancellation !== undefined, Math.max(1, waitUntil - Date.now()));
      throwIfCancelled();
    } while (arrived && !approved && !(await storefrontOrderChanged()));
    if (!arrived) {
      throw new OrderParked(
        {
          code: 'status_wait_expired',
          reason: `the order waited ${plan.waitForStatusHours} hours without reaching a status that syncs (${reason})`,
          fix: 'approve the order to post it as it is, retry once the storefront status has moved on, or cancel it',
        },
        false,
      );
    }
  }

  /** Records the order as parked, then waits for an operator, a storefront change or (for outages) time. */
  async function parkUntilRetried(attention: AttentionNotice, transient: boolean): Promise<void> {
    // Cleared before the order shows as parked: a retry that arrives while the park is being
    // recorded must not be lost.
    retryRequested = false;
    changes.length = 0;
    status.step = 'parked';
    status.attention = { code: attention.code, reason: attention.reason, fix: attention.fix };
    setState('parked');
    setCurrentDetails(`Parked (${attention.code}): ${attention.reason}\nFix: ${attention.fix}`);
    await bookkeeping.parkOrder.executeWithOptions({ ...bookkeepingOptions, summary: `Park: ${attention.code}` }, [
      { ...ref, workflowId, attention },
    ]);
    await writeBackQuietly({
      ...ref,
      state: 'needs_attention',
      attentionCode: attention.code,
      ...(status.intacct.salesDocumentId !== undefined && { salesDocumentId: status.intacct.salesDocumentId }),
    });
    if (plan.onPermanentFailure === 'unwind' && !transient && compensations.length > 0) await unwind();

    // Woken by the storefront alone (the store's echo of the write-back above, say), the order retries only when the storefront has something new.
    do {
      await condition(
        () => retryRequested || approved || changes.length > 0 || cancellation !== undefined,
        transient ? transientRetryDelay : undefined,
      );
      throwIfCancelled();
    } while (!retryRequested && !approved && changes.length > 0 && !(await storefrontOrderChanged()));
    retryRequested = false;
    setCurrentDetails('');
  }

  /** Step 8: polls Intacct on the tenant's interval and reacts at once to storefront events, until shipped or the watch ends. */
  async function watchFulfilment(): Promise<void> {
    const { fulfilment } = plan;
    const watchUntil = Date.now() + fulfilment.watchDays * day;
    // An unchanged order's signal does not put the next look at Intacct off.
    let nextIntacctLook = Date.now() + fulfilment.pollIntacctMinutes * 60_000;
    status.step = 'awaiting_fulfilment';
    setCurrentDetails(`Posted as ${status.intacct.salesDocumentId}; watching for shipment and cancellation`);
    while (Date.now() < watchUntil) {
      await condition(
        () => changes.length > 0 || cancellation !== undefined,
        Math.max(1, Math.min(watchUntil, nextIntacctLook) - Date.now()),
      );
      throwIfCancelled();
      if (changes.length > 0) {
        if (!(await storefrontOrderChanged())) continue;
        changes.length = 0;
        order = actOn(
          await vendor.fetchStorefrontOrder.executeWithOptions(
            withSummary(`Fetch order ${ref.orderId} from ${storefrontName} after a change`),
            [ref],
          ),
        );
        const check = await bookkeeping.checkOrder({ tenantId: ref.tenantId, order });
        if (check.action === 'cancel') throw new CancellationRequested(check.reason);
      }
      if (await syncFulfilment()) return;
      nextIntacctLook = Date.now() + fulfilment.pollIntacctMinutes * 60_000;
    }
  }

  /** One look at shipments: tracking Intacct has goes to the storefront; shipped orders are converted. True when nothing is left to watch. */
  async function syncFulfilment(): Promise<boolean> {
    const salesDocumentId = status.intacct.salesDocumentId!;
    const shipments = await vendor.readShipmentStatus.executeWithOptions(withSummary(`Look for shipments of ${salesDocumentId}`), [
      { ...ref, salesDocumentId },
    ]);
    for (const shipment of shipments.intacctShipmentsToSync) {
      const { added } = await vendor.syncShipmentToStorefront.executeWithOptions(
        withSummary(`Add tracking ${shipment.trackingNumber ?? ''} to ${storefrontName}`),
        [{ ...ref, shipment }],
      );
      if (added) status.shipmentsSynced += 1;
    }
    const shipped =
      shipments.storefrontShipments.length > 0 ||
      shipments.intacctShipmentsToSync.length > 0 ||
      shipments.existingInvoiceDocumentId !== undefined;
    if (!shipped) return false;
    if (plan.fulfilment.convertToInvoice && status.intacct.invoiceDocumentId === undefined) {
      const invoice = await vendor.convertToInvoice.executeWithOptions(
        withSummary(`Convert ${salesDocumentId} to a ${plan.fulfilment.invoiceTransactionDefinition}`),
        [{ ...ref, salesDocumentId, invoiceTransactionDefinition: plan.fulfilment.invoiceTransactionDefinition }],
      );
      status.intacct.invoiceDocumentId = invoice.invoiceDocumentId;
      if (invoice.arInvoiceKey !== undefined) arInvoiceKey = invoice.arInvoiceKey;
      await wakeWaitingRefunds('invoiced');
    } else if (shipments.existingInvoiceDocumentId !== undefined) {
      status.intacct.invoiceDocumentId ??= shipments.existingInvoiceDocumentId;
    }
    if (paymentPending && order !== undefined && status.intacct.customerId !== undefined) await recordPayment(status.intacct.customerId);
    return true;
  }

  /** Runs the compensations in reverse, then records and reports the cancellation. */
  async function cancelOrder(reason: string): Promise<OrderToCashResult> {
    status.step = 'cancelling';
    status.note = reason;
    setCurrentDetails(`Cancelling: ${reason}`);
    for (;;) {
      try {
        await unwind();
        break;
      } catch (error) {
        // A compensation that fails for good waits for a person like any other step.
        const failure = describeStepFailure('undoing the order in Intacct', error);
        retryRequested = false;
        status.step = 'parked';
        status.attention = failure.attention;
        setState('parked');
        await bookkeeping.parkOrder({
          ...ref,
          workflowId,
          attention: { ...failure.attention, code: `cancellation_${failure.attention.code}` },
        });
        await condition(() => retryRequested, failure.transient ? transientRetryDelay : undefined);
        status.step = 'cancelling';
      }
    }
    await bookkeeping.recordOrderCancelled({ ...ref, workflowId });
    await writeBackQuietly({ ...ref, state: 'cancelled' });
    delete status.attention;
    return finish('cancelled');
  }

  /** Undoes the registered effects, most recent first; each one is removed once done, so a retry resumes where it stopped. */
  async function unwind(): Promise<void> {
    while (compensations.length > 0) {
      const compensation = compensations[compensations.length - 1]!;
      setCurrentDetails(`Compensating: ${compensation.summary}`);
      await compensation.run();
      compensations.pop();
    }
    status.intacct = {};
    arInvoiceKey = undefined;
    upsertSearchAttributes([{ key: IntacctDocument, value: '' }]);
  }

  function compensateWith(summary: string, run: () => Promise<unknown>): void {
    compensations.push({ summary, run });
  }

  /** A run that finds its order posted by an earlier run still knows how to undo it. */
  function registerKnownCompensations(): void {
    const { salesDocumentId, paymentKey } = status.intacct;
    if (salesDocumentId !== undefined)
      compensateWith(`Cancel ${salesDocumentId}`, () => vendor.cancelSalesDocument({ ...ref, salesDocumentId }));
    if (paymentKey !== undefined) compensateWith(`Reverse payment ${paymentKey}`, () => vendor.reversePayment({ ...ref, paymentKey }));
  }

  function adoptLedger(loaded: OrderSyncPlan): void {
    const { salesDocumentId, paymentKey, invoiceDocumentId } = loaded.ledger;
    if (salesDocumentId !== undefined) {
      status.intacct.salesDocumentId = salesDocumentId;
      upsertSearchAttributes([{ key: IntacctDocument, value: salesDocumentId }]);
    }
    if (paymentKey !== undefined) status.intacct.paymentKey = paymentKey;
    if (invoiceDocumentId !== undefined) status.intacct.invoiceDocumentId = invoiceDocumentId;
  }

  /**
   * A run started again for an order an earlier run posted or cancelled (a late webhook, the
   * sweep): when the storefront still has the version that run last acted on, there is nothing
   * to do, and one look at the order's stamp is all it costs.
   */
  async function nothingNewSinceEarlierRun(): Promise<boolean> {
    const { state, storefrontStamp: lastSeen } = plan.ledger;
    if ((state !== 'synced' && state !== 'cancelled') || lastSeen === undefined) return false;
    storefrontStamp = lastSeen;
    if (await storefrontOrderChanged()) return false;
    // What arrived during the look goes the usual way.
    if (changes.length > 0 || cancellation !== undefined) return false;
    status.note = `nothing changed in ${storefrontName} since the order was ${state}`;
    return true;
  }

  /**
   * One look at the order's stamp before anything heavier: false when the storefront still has
   * the version the workflow last acted on, and the change signals that asked are consumed.
   * Correctness first: no stamp to compare with, or a look that fails, counts as a change, and
   * the signals stay for the full fetch.
   */
  async function storefrontOrderChanged(): Promise<boolean> {
    const lastSeen = storefrontStamp;
    if (lastSeen === undefined || !patched(storefrontStampPatch)) return true;
    const asked = changes.length;
    try {
      const look = await vendor.detectStorefrontOrderChange.executeWithOptions(
        {
          ...vendorCallOptions,
          retry: { ...vendorCallOptions.retry, maximumAttempts: 3 },
          summary: `Has order ${ref.orderId} changed in ${storefrontName}?`,
        },
        [{ ...ref, lastSeenStamp: lastSeen }],
      );
      if (!look.changed) {
        // A signal that arrived during the look may be about a later change: it gets a look of its own.
        changes.splice(0, asked);
        return false;
      }
    } catch {
      // The full fetch that follows has its own retries and parking.
    }
    // Behind the storefront now: a second look before the fetch would only say so again.
    storefrontStamp = undefined;
    return true;
  }

  /** The fetched order, its stamp kept apart as the version the workflow now acts on. */
  function actOn(fetched: FetchedStorefrontOrder): CanonicalOrder {
    const { storefrontStamp: stamp, ...canonical } = fetched;
    storefrontStamp = stamp;
    return canonical;
  }

  function actedOnStamp(): { storefrontStamp?: string } {
    return storefrontStamp === undefined ? {} : { storefrontStamp };
  }

  /** The stamp of the order after the workflow's own write, so the store's echo of it is recognised; none when the write-back cannot vouch for one. */
  function rememberOwnWrite(written: WriteBackResult): void {
    storefrontStamp = written?.storefrontStamp;
  }

  /** Runs one step's activity; a failure it could not retry away parks the order with the step named. */
  async function step<T>(name: OrderToCashStatus['step'], details: string, inWords: string, run: () => Promise<T>): Promise<T> {
    throwIfCancelled();
    status.step = name;
    setCurrentDetails(details);
    try {
      return await run();
    } catch (error) {
      const failure = describeStepFailure(inWords, error);
      throw new OrderParked(failure.attention, failure.transient);
    }
  }

  function throwIfCancelled(): void {
    if (cancellation !== undefined) throw new CancellationRequested(cancellation);
  }

  /** Write-back of a state is a courtesy to the merchant: a storefront outage must not block the books. */
  /**
   * Refunds that arrived before this order was posted (or invoiced) go on now rather than at
   * their next look. Best effort: they look again on their own within minutes, so a failure
   * here never holds the order up.
   */
  async function wakeWaitingRefunds(reason: 'posted' | 'invoiced'): Promise<void> {
    // Histories recorded before this step existed replay without it.
    if (!patched('wake-waiting-refunds')) return;
    try {
      await bookkeeping.wakeWaitingRefunds.executeWithOptions(
        {
          ...bookkeepingOptions,
          retry: { ...bookkeepingOptions.retry, maximumAttempts: 3 },
          summary: `Wake refunds waiting for order ${ref.orderId}`,
        },
        [{ ...ref, reason }],
      );
    } catch {
      // Their own recheck finds the order.
    }
  }

  async function writeBackQuietly(writeBack: Parameters<OrderToCashActivities['writeBackToStorefront']>[0]): Promise<void> {
    try {
      const written = await vendor.writeBackToStorefront.executeWithOptions(
        {
          ...vendorCallOptions,
          retry: { ...vendorCallOptions.retry, maximumAttempts: 3 },
          summary: `Mark the order ${writeBack.state.replaceAll('_', ' ')} in ${storefrontName}`,
        },
        [{ ...writeBack, ...actedOnStamp() }],
      );
      rememberOwnWrite(written);
    } catch {
      // The attention queue and Temporal UI already show the state; the storefront learns it on the next write-back.
    }
  }

  function setState(state: 'pending' | 'waiting' | 'synced' | 'parked' | 'skipped' | 'cancelled'): void {
    upsertSearchAttributes([{ key: SyncState, value: state }]);
  }

  function finish(outcome: OrderToCashResult['outcome']): OrderToCashResult {
    status.step = outcome === 'synced' ? 'done' : outcome === 'skipped' ? 'skipped' : 'cancelled';
    setState(outcome);
    setCurrentDetails('');
    return { outcome, status };
  }

  function withSummary(summary: string): ActivityOptions {
    return { ...vendorCallOptions, summary };
  }
}

function customerSummary(order: CanonicalOrder): string {
  return order.customer.kind === 'guest'
    ? 'Resolve the Intacct customer for a guest order'
    : `Resolve storefront customer ${order.customer.customerId} to an Intacct customer`;
}
