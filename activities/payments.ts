import {
  IntacctAlreadyRecordedError,
  IntacctInputError,
  createArPayment,
  findLivePaymentByReference,
  isPaymentReversedOrGone,
  readInvoiceBalance,
  readSalesDocument,
  reverseArPayment,
  type IntacctClient,
} from '../connectors/intacct/index.js';
import {
  mayPostReceivable,
  PaymentAccountNotConfiguredError,
  toIntacctArPayment,
  toIntacctCapturePayment,
  type ArPaymentMappingInput,
} from '../mappers/payment-account.js';
import { businessDateOf } from '../mappers/to-intacct-sales-document.js';
import type { OpenInvoice } from '../decisions/payment-applications.js';
import { parseExactAmount } from '../mappers/money.js';
import {
  capturePaymentKey,
  findLedgerEntry,
  listOrderCapturePayments,
  listOrderShipmentInvoices,
  recordLedgerEntry,
  type LedgerEntry,
} from '../store/ledger.js';
import { allMappingRows } from '../store/mappings.js';
import type { PaymentMethodMappingRow } from '../store/schemas/mapping-tables.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import type { TenantConnection } from './tenant-connections.js';
import type {
  OrderToCashActivities,
  PaymentOutcome,
  RecordPaymentInput,
  ReversePaymentInput,
} from '../workflows/order-to-cash-contract.js';
import type { CapturePaymentRecorded, RecordCapturePaymentInput } from '../workflows/order-to-cash-captures-contract.js';
import { activityAttempt, intacctControlId, intacctForOrder, orderEntityOf } from './intacct-writes.js';
import { refuseUndoAfterRefunds } from './undo-after-refunds.js';
import { operatorFailure } from './flow-failure.js';
import { orderToCashFailures } from '../workflows/order-to-cash-contract.js';

/**
 * OrderToCash's payment activities: the order's captured payment as one Intacct cash receipt,
 * and its reversal as a compensation. Exactly once by the sync ledger ('payment', order id), a
 * control id stable across attempts and runs sent with `uniqueid`, and the order id as the
 * receipt's reference, which finds it again.
 */
export function createPaymentActivities(deps: Pick<ActivityDependencies, 'db' | 'connections'>) {
  /**
   * The AR invoice the payment applies to: the caller's, else the ledger's (the converted invoice,
   * then the order's document), else the document's PRRECORDKEY, read only when its definition
   * may post AR. None (a sales order not yet invoiced): the payment is recorded unapplied.
   */
  async function invoiceKeyFor(
    client: IntacctClient,
    input: Pick<RecordPaymentInput, 'tenantId' | 'orderId' | 'salesDocumentId' | 'arInvoiceKey'>,
  ): Promise<string | undefined> {
    if (input.arInvoiceKey) return input.arInvoiceKey;
    const [invoice, order] = await Promise.all([
      findLedgerEntry(deps.db, { tenantId: input.tenantId, entity: 'invoice', externalId: input.orderId }),
      findLedgerEntry(deps.db, { tenantId: input.tenantId, entity: 'order', externalId: input.orderId }),
    ]);
    if (invoice?.state === 'synced' && invoice.arInvoiceKey) return invoice.arInvoiceKey;
    const orderIsDocument = order?.intacctDocumentId === input.salesDocumentId;
    if (orderIsDocument && order?.arInvoiceKey) return order.arInvoiceKey;
    if (!mayPostReceivable(input.salesDocumentId)) return undefined;
    const document = await readSalesDocument(client, input.salesDocumentId);
    if (document === undefined)
      throw operatorFailure(
        orderToCashFailures,
        'SalesDocumentNotFound',
        `${input.salesDocumentId} does not exist in Intacct, so order ${input.orderId}'s payment cannot be applied to it`,
      );
    if (document.arInvoiceKey === '') return undefined;
    if (orderIsDocument)
      await recordLedgerEntry(
        deps.db,
        { tenantId: input.tenantId, entity: 'order', externalId: input.orderId },
        { arInvoiceKey: document.arInvoiceKey },
      );
    return document.arInvoiceKey;
  }

  /**
   * Where the payment applies: an order invoiced per shipment has several AR invoices, each read
   * for what it still owes (oldest first), so the payment is spread over them and never applied
   * beyond an invoice's amount due; any other order has at most the one of {@link invoiceKeyFor}.
   * The shipment invoices are listed only for an order the ledger shows invoiced (read by id),
   * so other orders' payments cost no listing.
   */
  async function applicationTarget(
    client: IntacctClient,
    input: Pick<RecordPaymentInput, 'tenantId' | 'orderId' | 'salesDocumentId' | 'arInvoiceKey'> & { currency: string },
  ): Promise<{ invoiceKey?: string; openInvoices?: OpenInvoice[] }> {
    const invoiced = await findLedgerEntry(deps.db, { tenantId: input.tenantId, entity: 'invoice', externalId: input.orderId });
    const shipmentInvoices =
      invoiced?.state === 'synced'
        ? (await listOrderShipmentInvoices(deps.db, input.tenantId, input.orderId)).filter(
            (entry) => entry.state === 'synced' && entry.arInvoiceKey,
          )
        : [];
    if (shipmentInvoices.length === 0) {
      const invoiceKey = await invoiceKeyFor(client, input);
      return invoiceKey === undefined ? {} : { invoiceKey };
    }
    const openInvoices: OpenInvoice[] = [];
    for (const entry of shipmentInvoices) {
      const invoiceKey = entry.arInvoiceKey!;
      const balance = await readInvoiceBalance(client, invoiceKey);
      if (balance === undefined)
        throw operatorFailure(
          orderToCashFailures,
          'SalesDocumentNotFound',
          `AR invoice ${invoiceKey} of ${entry.intacctDocumentId ?? 'a shipment'} does not exist in Intacct, so order ${input.orderId}'s payment cannot be applied to it`,
        );
      openInvoices.push({ invoiceKey, due: parseExactAmount(balance.totalDue, input.currency) });
    }
    return { openInvoices };
  }

  /** The ledger's note of the invoice a payment applies to: the one invoice, else the first of several it was spread over. */
  function appliedInvoiceOf(
    target: { invoiceKey?: string },
    payment: { applications: ReadonlyArray<{ invoiceKey: string }> },
  ): { arInvoiceKey?: string } {
    const invoiceKey = target.invoiceKey ?? payment.applications[0]?.invoiceKey;
    return invoiceKey === undefined ? {} : { arInvoiceKey: invoiceKey };
  }

  /**
   * Records the order's captured payment once (nothing when unpaid), applied to its AR invoice
   * when there is one. Intacct is searched for the receipt before creating only when an earlier
   * attempt may have created it.
   */
  async function recordPayment(input: RecordPaymentInput): Promise<PaymentOutcome> {
    if (input.order.amountPaid <= 0) return { recorded: false, reason: `order ${input.orderId} has no captured payment` };
    const key = { tenantId: input.tenantId, entity: 'payment' as const, externalId: input.orderId };
    const known = await findLedgerEntry(deps.db, key);
    if (known?.intacctKey !== undefined) {
      if (known.state === 'cancelled')
        return {
          recorded: false,
          reason: `payment ${known.intacctKey} of order ${input.orderId} was reversed; a new payment is recorded by hand`,
        };
      return { recorded: true, paymentKey: known.intacctKey, created: false };
    }
    // An earlier run recorded captures after posting one by one: this payment receives only what they did not.
    // The order's entry says so (read by id), so other orders' payments cost no listing.
    const orderEntry = await findLedgerEntry(deps.db, { tenantId: input.tenantId, entity: 'order', externalId: input.orderId });
    const capturedApart = orderEntry?.capturesRecordedApart
      ? (await listOrderCapturePayments(deps.db, input.tenantId, input.orderId))
          .filter((entry) => entry.state === 'synced')
          .reduce((sum, entry) => sum + (entry.amount ?? 0), 0)
      : 0;
    const order = { ...input.order, amountPaid: input.order.amountPaid - capturedApart };
    if (order.amountPaid <= 0)
      return { recorded: false, reason: `order ${input.orderId}'s captures are recorded one payment each, after posting` };
    const connection = await deps.connections.forTenant(input.tenantId);
    const mapping = await paymentMapping(connection, { order, customerId: input.customerId });
    const client = await connection.intacct(orderEntityOf(orderEntry));
    const counted = await recordLedgerEntry(deps.db, key, { countAttempt: true });
    const target = await applicationTarget(client, { ...input, currency: order.currency });
    const payment = toIntacctArPayment({ ...mapping, ...target });

    let result: { paymentKey: string; created: boolean } | undefined;
    if (activityAttempt() > 1 || counted.attempts > 1) {
      const found = await findLivePaymentByReference(client, payment.customerId, payment.referenceId);
      if (found !== undefined) result = { paymentKey: found, created: false };
    }
    result ??= await createArPayment(client, payment, intacctControlId('arpymt-create', input.tenantId, input.orderId));
    await recordLedgerEntry(deps.db, key, {
      state: 'synced',
      intacctKey: result.paymentKey,
      intacctDocumentId: input.salesDocumentId,
      ...appliedInvoiceOf(target, payment),
      amount: order.amountPaid,
      currency: order.currency,
      settingsVersion: connection.settingsVersion,
      ...gatewayIdsOf(input.order.attributes?.paymentGateway, input.order.gatewayTransactionIds),
    });
    return { recorded: true, paymentKey: result.paymentKey, created: result.created };
  }

  /** The payment's mapping input, checked before anything reaches Intacct: a missing account costs no API transaction. */
  async function paymentMapping(
    connection: TenantConnection,
    payment: Pick<ArPaymentMappingInput, 'order' | 'customerId'>,
  ): Promise<ArPaymentMappingInput> {
    const paymentMethodRows = (await allMappingRows(deps.db, connection.tenantId, 'paymentMethods')).map(
      (document) => document.row as PaymentMethodMappingRow,
    );
    const mapping = { ...payment, settings: connection.settings, paymentMethodRows };
    try {
      toIntacctArPayment(mapping);
    } catch (error) {
      if (error instanceof PaymentAccountNotConfiguredError) throw operatorFailure(orderToCashFailures, error.type, error.message);
      throw error;
    }
    return mapping;
  }

  /**
   * Records one capture after posting as its own payment, once (see the contract), applied to
   * the order's AR invoice when there is one. Intacct is searched for the receipt before creating
   * only when an earlier attempt may have created it.
   */
  async function recordCapturePayment(input: RecordCapturePaymentInput): Promise<CapturePaymentRecorded> {
    const { capture } = input;
    const key = capturePaymentKey(input.tenantId, input.orderId, capture.transactionId);
    const known = await findLedgerEntry(deps.db, key);
    if (known?.state === 'synced' && known.intacctKey !== undefined) return { paymentKey: known.intacctKey, created: false };
    const connection = await deps.connections.forTenant(input.tenantId);
    // The order as fetched may predate the capture (amount paid 0): the capture's amount is what is received.
    const order = { ...input.order, amountPaid: capture.amount };
    const mapping = await paymentMapping(connection, { order, customerId: input.customerId });
    const client = await intacctForOrder(deps, input);
    // Marked first: from now on a later run's payment looks for the captures recorded apart.
    await recordLedgerEntry(
      deps.db,
      { tenantId: input.tenantId, entity: 'order', externalId: input.orderId },
      { capturesRecordedApart: true },
    );
    const counted = await recordLedgerEntry(deps.db, key, { countAttempt: true, orderExternalId: input.orderId });
    const target = await applicationTarget(client, { ...input, currency: input.order.currency });
    const payment = toIntacctCapturePayment({ ...mapping, ...target, capture });

    let result: { paymentKey: string; created: boolean } | undefined;
    if (activityAttempt() > 1 || counted.attempts > 1) {
      const found = await findLivePaymentByReference(client, payment.customerId, payment.referenceId);
      if (found !== undefined) result = { paymentKey: found, created: false };
    }
    result ??= await createArPayment(
      client,
      payment,
      intacctControlId('arpymt-capture', input.tenantId, input.orderId, capture.transactionId),
    );
    await recordLedgerEntry(deps.db, key, {
      state: 'synced',
      intacctKey: result.paymentKey,
      intacctDocumentId: input.salesDocumentId,
      ...appliedInvoiceOf(target, payment),
      amount: capture.amount,
      currency: input.order.currency,
      settingsVersion: connection.settingsVersion,
      ...gatewayIdsOf(
        input.order.attributes?.paymentGateway,
        capture.gatewayTransactionId === undefined ? undefined : [capture.gatewayTransactionId],
      ),
    });
    return result;
  }

  /**
   * Compensation: reverses the payment, dated today in the tenant's time zone. A reversal the
   * gateway already recorded under this control id, a payment already reversed (by anyone) or
   * gone, and a ledger entry already cancelled all count as done. An order the ledger holds
   * refunds of is refused before anything is reversed (see {@link refuseUndoAfterRefunds}).
   */
  async function reversePayment(input: ReversePaymentInput): Promise<void> {
    const key =
      input.captureTransactionId === undefined
        ? { tenantId: input.tenantId, entity: 'payment' as const, externalId: input.orderId }
        : capturePaymentKey(input.tenantId, input.orderId, input.captureTransactionId);
    const known = await findLedgerEntry(deps.db, key);
    if (known?.state === 'cancelled' && known.intacctKey === input.paymentKey) return;
    await refuseUndoAfterRefunds(deps.db, input, `reversing payment ${input.paymentKey} in full`);
    const connection = await deps.connections.forTenant(input.tenantId);
    const client = await intacctForOrder(deps, input);
    try {
      await reverseArPayment(
        client,
        {
          paymentKey: input.paymentKey,
          date: businessDateOf(new Date().toISOString(), connection.settings.timezone),
          description: `Storefront order ${input.orderId} cancelled`,
        },
        intacctControlId('arpymt-reverse', input.tenantId, input.paymentKey),
      );
    } catch (error) {
      const done =
        error instanceof IntacctAlreadyRecordedError ||
        (error instanceof IntacctInputError && (await isPaymentReversedOrGone(client, input.paymentKey)));
      if (!done) throw error;
    }
    await recordLedgerEntry(deps.db, key, { state: 'cancelled', ...(known?.intacctKey === undefined && { intacctKey: input.paymentKey }) });
  }

  return {
    recordPayment: withConnectorFailures(recordPayment),
    recordCapturePayment: withConnectorFailures(recordCapturePayment),
    reversePayment: withConnectorFailures(reversePayment),
  } satisfies Pick<OrderToCashActivities, 'recordPayment' | 'recordCapturePayment' | 'reversePayment'>;
}

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;

/** The payment entry's gateway and the gateway's ids of the money it received: what payout matching looks payments up by. */
function gatewayIdsOf(
  gateway: string | undefined,
  gatewayTransactionIds: readonly string[] | undefined,
): Pick<LedgerEntry, 'gateway' | 'gatewayTransactionIds'> {
  return {
    ...(gateway !== undefined && gateway !== '' && { gateway }),
    ...(gatewayTransactionIds !== undefined && gatewayTransactionIds.length > 0 && { gatewayTransactionIds: [...gatewayTransactionIds] }),
  };
}
