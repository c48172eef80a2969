import { setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { FetchedStorefrontOrder, OrderSyncPlan, WriteBackResult } from '../order-to-cash-contract.js';
import type { OrderRef } from '../shared-contract.js';
import type { CanonicalOrder } from '../../mappers/canonical-order.js';
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
  type OrderToCashStep,
} from '../order-to-cash-contract.js';
import { IntacctDocument, SyncState } from '../search-attributes.js';
import { CompensationStack } from '../shared/compensations.js';
import { ItemRequests, runStep, type StepText } from '../shared/parking.js';

/** The order stops waiting and unwinds: an operator's cancel or a storefront cancellation. */
export class CancellationRequested extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** What operators and the storefront asked of the order: the handlers fill it, the steps consume it. */
export class OrderRequests extends ItemRequests<OrderChangedSignal> {
  /** An operator's go-ahead for an order waiting for a status that syncs. */
  approved = false;
  /** Why the order is to be cancelled, once an operator or the storefront asked. */
  cancellation: string | undefined;

  /** Ends the order's steps when a cancellation was asked. */
  throwIfCancelled(): void {
    if (this.cancellation !== undefined) throw new CancellationRequested(this.cancellation);
  }
}

/** Where an operator's cancel is accepted: anywhere but in the cancellation and at the end. */
const cancellableSteps: OrderToCashStep[] = [
  'loading',
  'waiting_for_status',
  'checking',
  'resolving_customer',
  'resolving_items',
  'creating_sales_document',
  'recording_payment',
  'writing_back',
  'awaiting_fulfilment',
  'updating_sales_document',
  'parked',
];

/** Registers the order's query, signal and updates; what they ask is kept for the steps. */
export function acceptRequests(status: OrderToCashStatus): OrderRequests {
  const requests = new OrderRequests();
  const assertStep = (allowed: OrderToCashStep[], what: string): void => {
    if (!allowed.includes(status.step)) throw new Error(`cannot ${what} an order that is ${status.step.replaceAll('_', ' ')}`);
  };
  setHandler(orderToCashStatusQuery, () => status);
  setHandler(orderChangedSignal, (change) => void requests.changes.push(change));
  setHandler(
    retryOrderUpdate,
    () => {
      requests.retryRequested = true;
      return status;
    },
    { validator: () => assertStep(['parked'], 'retry') },
  );
  setHandler(
    approveOrderUpdate,
    () => {
      requests.approved = true;
      return status;
    },
    { validator: () => assertStep(['waiting_for_status', 'parked'], 'approve') },
  );
  setHandler(
    cancelOrderUpdate,
    ({ reason }) => {
      requests.cancellation ??= `cancelled by an operator: ${reason}`;
      return status;
    },
    { validator: (_request: { reason: string }) => assertStep(cancellableSteps, 'cancel') },
  );
  return requests;
}

/** Which order an input names. */
export function orderRefOf(input: OrderToCashInput): OrderRef {
  return { tenantId: input.tenantId, storefront: input.storefront, orderId: input.orderId };
}

/**
 * One run of OrderToCash: the tenant's plan, the order as the steps leave it, and what
 * operators and the storefront asked meanwhile. The steps (`posting.ts`), the watch
 * (`fulfilment.ts`) and the cancellation (`cancellation.ts`) read and advance it.
 */
export class OrderRun {
  readonly workflowId = workflowInfo().workflowId;
  readonly ref: OrderRef;
  readonly storefrontName: string;
  /** The canonical order as last fetched. */
  fetched: CanonicalOrder | undefined;
  /** The order as its sales document holds it: as posted, or as an edit last brought it (`edits.ts`); undefined when this run does not know. */
  booked: CanonicalOrder | undefined;
  /** The storefront's stamp of the order version the workflow last acted on (its own writes included); undefined when not known. */
  storefrontStamp: string | undefined;
  /** A payment the document could not take yet (no AR invoice): recorded once the order is invoiced. */
  paymentPending = false;
  /** The AR invoice the payment applies to, once a document posted one. */
  arInvoiceKey: string | undefined;
  /** Effects to undo on cancellation, most recent last; each is idempotent. */
  readonly compensations = new CompensationStack();

  constructor(
    input: OrderToCashInput,
    readonly status: OrderToCashStatus,
    readonly requests: OrderRequests,
    readonly plan: OrderSyncPlan,
  ) {
    this.ref = orderRefOf(input);
    this.storefrontName = input.storefront === 'bigcommerce' ? 'BigCommerce' : 'Clarity';
    this.arInvoiceKey = plan.ledger.arInvoiceKey;
  }

  /** Takes on the settings version and what the ledger says an earlier run posted. */
  adoptLedger(): void {
    const { salesDocumentId, paymentKey, invoiceDocumentId } = this.plan.ledger;
    this.status.settingsVersion = this.plan.settingsVersion;
    if (salesDocumentId !== undefined) {
      this.status.intacct.salesDocumentId = salesDocumentId;
      upsertSearchAttributes([{ key: IntacctDocument, value: salesDocumentId }]);
    }
    if (paymentKey !== undefined) this.status.intacct.paymentKey = paymentKey;
    if (invoiceDocumentId !== undefined) this.status.intacct.invoiceDocumentId = invoiceDocumentId;
  }

  /** Runs one step's activity (see `runStep`), unless a cancellation was asked first. */
  step<T>(text: StepText<OrderToCashStep>, activity: (options: { summary?: string }) => Promise<T>): Promise<T> {
    this.requests.throwIfCancelled();
    return runStep(this.status, text, activity);
  }

  /** The fetched order, its stamp kept apart as the version the workflow now acts on. */
  actOn(fetched: FetchedStorefrontOrder): CanonicalOrder {
    const { storefrontStamp: stamp, ...canonical } = fetched;
    this.storefrontStamp = stamp;
    this.fetched = canonical;
    return canonical;
  }

  /** The stamp of the order version the workflow acted on, for a write-back; nothing when not known. */
  actedOnStamp(): { storefrontStamp?: string } {
    return this.storefrontStamp === undefined ? {} : { storefrontStamp: this.storefrontStamp };
  }

  /** What a write-back is told of the version it writes to: the stamp acted on, and whether the store has signalled a change since. */
  writeBackVersion(): { storefrontStamp?: string; changeSignalledSinceFetch?: true } {
    return { ...this.actedOnStamp(), ...(this.requests.changes.length > 0 && { changeSignalledSinceFetch: true }) };
  }

  /** The stamp of the order after the workflow's own write, so the store's echo of it is recognised; none when the write-back cannot vouch for one. */
  rememberOwnWrite(written: WriteBackResult): void {
    this.storefrontStamp = written?.storefrontStamp;
  }

  /** The order's `SyncState` search attribute. */
  showState(state: 'pending' | 'waiting' | 'synced' | 'parked' | 'skipped' | 'cancelled'): void {
    upsertSearchAttributes([{ key: SyncState, value: state }]);
  }

  /** Ends the run: the final step, its search attribute and the result. */
  finish(outcome: OrderToCashResult['outcome']): OrderToCashResult {
    this.status.step = outcome === 'synced' ? 'done' : outcome === 'skipped' ? 'skipped' : 'cancelled';
    this.showState(outcome);
    setCurrentDetails('');
    return { outcome, status: this.status };
  }
}
