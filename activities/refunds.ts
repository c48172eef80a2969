import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import {
  IntacctAlreadyRecordedError,
  IntacctInputError,
  createArAdjustment,
  createInventoryAdjustment,
  createSalesDocument as createIntacctSalesDocument,
  findArAdjustmentByNumber,
  findInventoryDocumentByReference,
  findSalesDocumentsByReference,
  readBankGlAccount,
  readItems,
  readSalesDocument,
  readSalesDocumentHeader,
  readSalesDocumentLines,
  updateSalesDocumentOnce,
} from '../connectors/intacct/index.js';
import { RefundMappingError } from '../mappers/canonical-refund.js';
import { fromBigCommerceRefund } from '../mappers/from-bigcommerce-refund.js';
import { fromClarityReturn } from '../mappers/from-clarity-return.js';
import type { AttentionNotice } from '../workflows/shared-contract.js';
import { PaymentAccountNotConfiguredError, choosePaymentDeposit } from '../mappers/payment-account.js';
import { formatAmount, parseAmount } from '../mappers/money.js';
import { CreditMemoMappingError, toIntacctCreditMemo, toIntacctStockOffset } from '../mappers/to-intacct-credit-memo.js';
import { toIntacctRefundPosting } from '../mappers/to-intacct-refund-posting.js';
import {
  SalesOrderReductionError,
  refundsAppliedTo,
  toIntacctSalesOrderReduction,
  withRefundApplied,
} from '../mappers/to-intacct-sales-order-reduction.js';
import { parkForAttention, resolveAttention } from '../store/attention.js';
import { acquireLedgerLease, findLedgerEntry, listOrderRefunds, recordLedgerEntry, releaseLedgerLease } from '../store/ledger.js';
import { allMappingRows } from '../store/mappings.js';
import type { AdjustmentItemRow, PaymentMethodMappingRow } from '../store/schemas/mapping-tables.js';
import { toApplicationFailure, withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { activityAttempt, intacctControlId } from './sales-documents.js';
import { flowFailure, operatorFailure } from './flow-failure.js';
import {
  returnToCreditMemoFailures,
  salesOrderBusyFailure,
  type CreateCreditMemoInput,
  type CreatedCreditMemo,
  type FetchedRefund,
  type OriginalOrder,
  type RecordedRefundPosting,
  type RecordRefundPostingInput,
  type ReducedSalesOrder,
  type ReduceSalesOrderInput,
  type RefundRef,
  type ReturnToCreditMemoActivities,
} from '../workflows/return-to-credit-memo-contract.js';
import { createStorefrontOrderActivities } from './storefront-orders.js';

/** How long one refund may hold its sales order for a read-modify-write (a crashed holder's lease runs out). */
const reductionLeaseMs = 2 * 60_000;

/** A failure type of ReturnToCreditMemo's catalogue. */
type RefundFailureType = keyof typeof returnToCreditMemoFailures;

/**
 * An Intacct refusal of a refund's write as the refund's own failure type: a closed period and
 * an unknown item are named as such, anything else as `type`. The vendor's message and fields
 * are kept. Error numbers for both are unverified (the reference marks them so), so the
 * gateway's wording is checked as well. Anything that is not a refusal is returned unchanged.
 */
function refusedAs(type: RefundFailureType, what: string, error: unknown): unknown {
  if (!(error instanceof IntacctInputError) || error instanceof IntacctAlreadyRecordedError) return error;
  const words = `${error.vendorCode ?? ''} ${error.description ?? ''} ${error.description2 ?? ''}`;
  const refusal = /BL03000071|period .*is closed|closed period/i.test(words)
    ? 'ClosedPeriod'
    : /invalid item\b/i.test(words)
      ? 'UnknownItem'
      : type;
  const base = toApplicationFailure(error) as ApplicationFailure;
  return flowFailure(returnToCreditMemoFailures, refusal, `Intacct refused ${what}: ${error.message}`, {
    details: (base.details?.[0] as Record<string, unknown> | undefined) ?? { failureClass: 'input' },
  });
}

/** Runs an Intacct write, turning its refusal into the refund's failure type. */
async function refusing<T>(type: RefundFailureType, what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw refusedAs(type, what, error);
  }
}

const refundKey = (ref: RefundRef) => ({ tenantId: ref.tenantId, entity: 'refund' as const, externalId: ref.refundId });

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404;
}

/**
 * ReturnToCreditMemo's activities. The credit memo is written exactly once, twice over: the sync
 * ledger ('refund', refund id) first, then a control id stable across attempts and runs sent
 * with `uniqueid`; Intacct is searched by reference number (the refund id) only on a retry.
 */
export function createRefundActivities(deps: ActivityDependencies) {
  const storefrontOrders = createStorefrontOrderActivities(deps);

  /** The storefront's refund (BigCommerce) or return (Clarity) and its order, as canonical records. */
  async function fetchStorefrontRefund(input: RefundRef): Promise<FetchedRefund> {
    const storefront = await (await deps.connections.forTenant(input.tenantId)).storefront();
    const notFound = () =>
      operatorFailure(
        returnToCreditMemoFailures,
        'RefundNotFound',
        `${input.storefront} has no refund ${input.refundId} of order ${input.orderId}`,
      );
    const read = async <T>(call: () => Promise<T>): Promise<T> => {
      try {
        return await call();
      } catch (error) {
        if (isNotFound(error)) throw notFound();
        throw error;
      }
    };
    const order = await storefrontOrders.fetchStorefrontOrder(input);
    try {
      if (storefront.kind === 'bigcommerce') {
        const refundId = Number(input.refundId);
        if (!Number.isSafeInteger(refundId)) throw notFound();
        const refund = await read(() => storefront.client.payments.getRefund(refundId));
        return { issued: true, refund: fromBigCommerceRefund(refund, order), order };
      }
      const record = await read(() => storefront.client.getReturn(input.refundId));
      const mapped = fromClarityReturn(record, order);
      return 'refunded' in mapped ? { issued: false, reason: mapped.reason } : { issued: true, refund: mapped, order };
    } catch (error) {
      if (error instanceof RefundMappingError) throw operatorFailure(returnToCreditMemoFailures, 'RefundMappingError', error.message);
      throw error;
    }
  }

  /**
   * Where the order stands, from the ledger: its converted invoice, else its own document when
   * that posted an AR invoice. The credited document is read once for its customer. A refund
   * that already reduced the sales order (the ledger says so, or, when an earlier attempt may
   * have, the order's message does) stays on the sales order path even once the order is invoiced.
   */
  async function findOriginalOrder(input: RefundRef): Promise<OriginalOrder> {
    const connection = await deps.connections.forTenant(input.tenantId);
    if (!connection.settings.returns.enabled)
      return {
        state: 'not_synced',
        code: 'returns_disabled',
        reason: `returns processing is off for tenant ${input.tenantId} (returns.enabled)`,
      };
    const key = { tenantId: input.tenantId, externalId: input.orderId };
    const [order, invoice, known] = await Promise.all([
      findLedgerEntry(deps.db, { ...key, entity: 'order' }),
      findLedgerEntry(deps.db, { ...key, entity: 'invoice' }),
      findLedgerEntry(deps.db, refundKey(input)),
    ]);
    if (order === null) return { state: 'waiting', reason: `order ${input.orderId} has not been posted to Intacct yet` };
    if (order.state === 'skipped' || order.state === 'cancelled') {
      return {
        state: 'not_synced',
        code: `order_${order.state}`,
        reason: `order ${input.orderId} was ${order.state}${order.lastError ? ` (${order.lastError.message})` : ''}, so its refund is not posted`,
      };
    }
    if (order.intacctDocumentId === undefined)
      return { state: 'waiting', reason: `order ${input.orderId} is ${order.state} and has no Intacct document yet` };
    const client = await connection.intacct();
    if (known?.reducedDocumentId !== undefined) {
      const reduced = await readSalesDocument(client, known.reducedDocumentId);
      if (reduced === undefined)
        throw operatorFailure(
          returnToCreditMemoFailures,
          'CreditedDocumentNotFound',
          `${known.reducedDocumentId} (order ${input.orderId}), which refund ${input.refundId} reduced, no longer exists in Intacct`,
        );
      return { state: 'not_invoiced', salesDocumentId: reduced.documentId, customerId: reduced.customerId };
    }
    const creditedId =
      invoice?.state === 'synced' && invoice.intacctDocumentId !== undefined
        ? invoice.intacctDocumentId
        : order.arInvoiceKey
          ? order.intacctDocumentId
          : undefined;
    if (creditedId !== undefined && creditedId !== order.intacctDocumentId && known !== null && known.intacctDocumentId === undefined) {
      // An earlier attempt may have reduced the sales order just before it was converted: its message says.
      const header = await readSalesDocumentHeader(client, order.intacctDocumentId);
      if (header !== undefined && refundsAppliedTo(header.message).includes(input.refundId))
        return { state: 'not_invoiced', salesDocumentId: header.documentId, customerId: header.customerId };
    }
    const document = await readSalesDocument(client, creditedId ?? order.intacctDocumentId);
    if (document === undefined)
      throw operatorFailure(
        returnToCreditMemoFailures,
        'CreditedDocumentNotFound',
        `${creditedId ?? order.intacctDocumentId} (order ${input.orderId}) no longer exists in Intacct`,
      );
    if (creditedId === undefined && document.arInvoiceKey === '') {
      if (connection.settings.returns.beforeInvoice === 'park') {
        throw operatorFailure(
          returnToCreditMemoFailures,
          'RefundBeforeInvoice',
          `order ${input.orderId} is ${document.documentId}, not invoiced yet, and returns.beforeInvoice is park`,
        );
      }
      return { state: 'not_invoiced', salesDocumentId: document.documentId, customerId: document.customerId };
    }
    return {
      state: 'invoiced',
      credited: {
        documentId: document.documentId,
        customerId: document.customerId,
        ...(document.total !== '' && { total: document.total }),
      },
      settingsVersion: connection.settingsVersion,
      creditMemoDefinition: connection.settings.returns.creditMemoTransactionDefinition,
    };
  }

  /**
   * What the credit memo takes off the invoice, in minor units, refused when it and the order's
   * earlier credit memos (from the ledger) come to more than the invoice's total. Refunds that
   * reduced the sales order before invoicing are already out of the invoice and do not count.
   */
  async function checkAgainstInvoice(input: CreateCreditMemoInput, credits: number): Promise<void> {
    const { total } = input.credited;
    if (total === undefined) return;
    const invoiceTotal = parseAmount(total, input.refund.currency).minor;
    const earlier = (await listOrderRefunds(deps.db, input.tenantId, input.orderId))
      .filter(
        (entry) =>
          entry.externalId !== input.refundId &&
          entry.state === 'synced' &&
          entry.reducedDocumentId === undefined &&
          entry.amount !== undefined &&
          entry.currency === input.refund.currency,
      )
      .reduce((sum, entry) => sum + entry.amount!, 0);
    if (earlier + credits > invoiceTotal) {
      const money = (minor: number) => formatAmount(minor, input.refund.currency);
      throw operatorFailure(
        returnToCreditMemoFailures,
        'RefundExceedsInvoice',
        `refund ${input.refundId} credits ${money(credits)}, but ${input.credited.documentId} comes to ${money(invoiceTotal)} and earlier refunds already credited ${money(earlier)}`,
      );
    }
  }

  /** Maps the refund to the tenant's credit memo and creates it unless the ledger holds it. */
  async function createCreditMemo(input: CreateCreditMemoInput): Promise<CreatedCreditMemo> {
    const key = refundKey(input);
    const known = await findLedgerEntry(deps.db, key);
    if (known?.state === 'synced' && known.intacctDocumentId !== undefined)
      return { creditMemoId: known.intacctDocumentId, created: false };
    const connection = await deps.connections.forTenant(input.tenantId);
    const { document } = await mapCreditMemo(input, connection);
    const credits = input.refund.total - (connection.settings.orderSync.adjustments.tax === 'intacctCalculates' ? input.refund.tax : 0);
    await checkAgainstInvoice(input, credits);
    const client = await connection.intacct();
    const counted = await recordLedgerEntry(deps.db, key, {
      countAttempt: true,
      workflowId: input.workflowId,
      settingsVersion: connection.settingsVersion,
      orderExternalId: input.orderId,
    });
    let result: CreatedCreditMemo | undefined;
    if (activityAttempt() > 1 || counted.attempts > 1) {
      const [found] = await findSalesDocumentsByReference(client, document.transactionDefinition, document.referenceNumber);
      if (found) result = { creditMemoId: found.documentId, created: false };
    }
    if (result === undefined) {
      const created = await refusing('CreditMemoRefused', `the ${document.transactionDefinition} for refund ${input.refundId}`, () =>
        createIntacctSalesDocument(client, document, intacctControlId('cm-create', input.tenantId, input.refundId)),
      );
      result = { creditMemoId: created.documentId, created: created.created };
    }
    await recordLedgerEntry(deps.db, key, {
      state: 'synced',
      intacctDocumentId: result.creditMemoId,
      workflowId: input.workflowId,
      settingsVersion: connection.settingsVersion,
      amount: credits,
      currency: input.refund.currency,
    });
    return result;
  }

  /** The credit memo's mapping again (pure, same inputs): what it booked into stock that was not restocked. */
  async function mapCreditMemo(input: CreateCreditMemoInput, connection: Awaited<ReturnType<typeof deps.connections.forTenant>>) {
    const adjustmentItems = (await allMappingRows(deps.db, input.tenantId, 'adjustmentItems')).map(
      (document) => document.row as AdjustmentItemRow,
    );
    try {
      return toIntacctCreditMemo({
        refund: input.refund,
        credited: input.credited,
        settings: connection.settings,
        items: new Map(Object.entries(input.items)),
        adjustmentItems,
      });
    } catch (error) {
      if (error instanceof CreditMemoMappingError)
        throw operatorFailure(returnToCreditMemoFailures, 'CreditMemoMappingError', error.message);
      throw error;
    }
  }

  /**
   * Posts the stock offset once. The workflow runs it before the refund's AR posting, so a
   * ledger entry holding the posting's key means it is done; otherwise the control id
   * `rf-stock:{tenant}:{refundId}` with `uniqueid`, and the refund id as reference number (looked
   * up on retries), keep it single.
   */
  async function offsetUnrestockedStock(
    input: CreateCreditMemoInput & { creditMemoId: string },
  ): Promise<{ documentId?: string; created: boolean }> {
    const known = await findLedgerEntry(deps.db, refundKey(input));
    if (known?.intacctKey !== undefined) return { created: false };
    const connection = await deps.connections.forTenant(input.tenantId);
    const { unrestocked } = await mapCreditMemo(input, connection);
    if (unrestocked.length === 0) return { created: false };
    const client = await connection.intacct();
    const items = await readItems(client, [...new Set(unrestocked.map((line) => line.itemId))]);
    const stockedItemIds = new Set(
      items.filter((item) => item.itemType === 'Inventory' || item.itemType === 'Stockable Kit').map((item) => item.itemId),
    );
    const offset = toIntacctStockOffset({
      refund: input.refund,
      creditMemoId: input.creditMemoId,
      unrestocked,
      stockedItemIds,
      settings: connection.settings,
    });
    if (offset === undefined) return { created: false };
    if (activityAttempt() > 1) {
      const documentId = await findInventoryDocumentByReference(client, offset.transactionDefinition, offset.referenceNumber);
      if (documentId !== undefined) return { documentId, created: false };
    }
    return refusing(
      'StockOffsetRefused',
      `the ${offset.transactionDefinition} taking refund ${input.refundId}'s unrestocked units out of stock`,
      () => createInventoryAdjustment(client, offset, intacctControlId('rf-stock', input.tenantId, input.refundId)),
    );
  }

  /**
   * A refund before invoicing, exactly once: the sales order's lines come down by it, or the
   * order closes when nothing is left. Three guards: the ledger ('refund', refund id) for a
   * refund already applied; a short lease on the order's ledger entry, so refunds of one order
   * change its lines one at a time; and the order's own message, which the same update stamps
   * with the refund id, so a retry whose answer was lost sees it applied and writes nothing. The
   * new lines are absolute quantities and prices computed from the lines as they are, and the
   * update carries a control id naming that content with `uniqueid`.
   */
  async function reduceSalesOrder(input: ReduceSalesOrderInput): Promise<ReducedSalesOrder> {
    const key = refundKey(input);
    const known = await findLedgerEntry(deps.db, key);
    if (known?.state === 'synced' && known.reducedDocumentId !== undefined)
      return { state: known.reduction ?? 'reduced', salesDocumentId: known.reducedDocumentId, changed: false };
    const connection = await deps.connections.forTenant(input.tenantId);
    const client = await connection.intacct();
    const orderKey = { tenantId: input.tenantId, entity: 'order' as const, externalId: input.orderId };
    if (!(await acquireLedgerLease(deps.db, orderKey, input.workflowId, reductionLeaseMs))) {
      throw ApplicationFailure.create({
        type: salesOrderBusyFailure,
        message: `another refund of order ${input.orderId} is changing ${input.salesDocumentId}; trying again`,
        details: [{ failureClass: 'retryable' }],
      });
    }
    try {
      const header = await readSalesDocumentHeader(client, input.salesDocumentId);
      if (header === undefined)
        throw operatorFailure(
          returnToCreditMemoFailures,
          'SalesOrderClosed',
          `${input.salesDocumentId} (order ${input.orderId}) no longer exists in Intacct, so refund ${input.refundId} cannot reduce it`,
        );
      const record = async (state: 'reduced' | 'closed', changed: boolean, amount?: number): Promise<ReducedSalesOrder> => {
        await recordLedgerEntry(deps.db, key, {
          state: 'synced',
          intacctDocumentId: header.documentId,
          reducedDocumentId: header.documentId,
          reduction: state,
          orderExternalId: input.orderId,
          workflowId: input.workflowId,
          settingsVersion: connection.settingsVersion,
          ...(amount !== undefined && { amount, currency: input.refund.currency }),
        });
        return { state, salesDocumentId: header.documentId, changed };
      };
      if (refundsAppliedTo(header.message).includes(input.refundId))
        return await record(header.state === 'Closed' ? 'closed' : 'reduced', false, known?.amount);
      if (['Converted', 'Partially Converted', 'In Progress'].includes(header.state)) return { state: 'invoiced' };
      if (header.state === 'Closed') {
        throw operatorFailure(
          returnToCreditMemoFailures,
          'SalesOrderClosed',
          `${header.documentId} is Closed, but not by this product's refunds; refund ${input.refundId} cannot reduce it: record the refund by hand (a credit memo or an AR adjustment)`,
        );
      }
      const lines = await readSalesDocumentLines(client, header.documentId);
      const adjustmentItems = (await allMappingRows(deps.db, input.tenantId, 'adjustmentItems')).map(
        (document) => document.row as AdjustmentItemRow,
      );
      let reduction;
      try {
        reduction = toIntacctSalesOrderReduction({
          refund: input.refund,
          salesDocumentId: header.documentId,
          lines,
          items: new Map(Object.entries(input.items)),
          adjustmentItems,
          settings: connection.settings,
        });
      } catch (error) {
        if (error instanceof SalesOrderReductionError) throw operatorFailure(returnToCreditMemoFailures, error.type, error.message);
        throw error;
      }
      await recordLedgerEntry(deps.db, key, { countAttempt: true, orderExternalId: input.orderId, workflowId: input.workflowId });
      const message = withRefundApplied(header.message, input.refundId);
      const update =
        reduction.action === 'close'
          ? { documentId: header.documentId, message, state: 'Closed' as const }
          : { documentId: header.documentId, message, changedLines: reduction.changedLines, addedLines: reduction.addedLines };
      const fingerprint = createHash('sha256').update(JSON.stringify(update)).digest('hex').slice(0, 16);
      await refusing('SalesOrderReductionRefused', `the change to ${header.documentId} for refund ${input.refundId}`, () =>
        updateSalesDocumentOnce(client, update, intacctControlId('so-reduce', input.tenantId, input.refundId, fingerprint)),
      );
      return await record(reduction.action === 'close' ? 'closed' : 'reduced', true, reduction.reducedBy);
    } finally {
      await releaseLedgerLease(deps.db, orderKey, input.workflowId);
    }
  }

  /**
   * Pays the refund out in AR once: the ledger's `intacctKey` on the refund's entry guards
   * across runs, the control id `rf-post:{tenant}:{refundId}` with `uniqueid` within them, and
   * the adjustment number (`RF-{refundId}`) finds it on a retry.
   */
  async function recordRefundPosting(input: RecordRefundPostingInput): Promise<RecordedRefundPosting> {
    const key = refundKey(input);
    const known = await findLedgerEntry(deps.db, key);
    if (known?.intacctKey !== undefined) return { adjustmentKey: known.intacctKey, created: false };
    const connection = await deps.connections.forTenant(input.tenantId);
    const paymentMethodRows = (await allMappingRows(deps.db, input.tenantId, 'paymentMethods')).map(
      (document) => document.row as PaymentMethodMappingRow,
    );
    let deposit;
    try {
      ({ deposit } = choosePaymentDeposit(input.refund.paymentMethod, connection.settings.orderSync.payments, paymentMethodRows));
    } catch (error) {
      if (error instanceof PaymentAccountNotConfiguredError) throw operatorFailure(returnToCreditMemoFailures, error.type, error.message);
      throw error;
    }
    const client = await connection.intacct();
    const bankGlAccountNo = 'bankAccountId' in deposit ? await readBankGlAccount(client, deposit.bankAccountId) : undefined;
    if ('bankAccountId' in deposit && bankGlAccountNo === undefined) {
      throw operatorFailure(
        returnToCreditMemoFailures,
        'PaymentAccountNotConfigured',
        `bank account ${deposit.bankAccountId} has no GL account in Intacct, so refund ${input.refundId} cannot be paid out of it`,
      );
    }
    const posting = toIntacctRefundPosting({
      refund: input.refund,
      customerId: input.customerId,
      documentId: input.documentId,
      settings: connection.settings,
      paymentMethodRows,
      bankGlAccountNo,
    });
    let result: RecordedRefundPosting | undefined;
    if (activityAttempt() > 1) {
      const adjustmentKey = await findArAdjustmentByNumber(client, posting.adjustmentNumber);
      if (adjustmentKey !== undefined) result = { adjustmentKey, created: false };
    }
    result ??= await refusing('RefundPostingRefused', `the AR posting paying refund ${input.refundId} out`, () =>
      createArAdjustment(client, posting, intacctControlId('rf-post', input.tenantId, input.refundId)),
    );
    await recordLedgerEntry(deps.db, key, { intacctKey: result.adjustmentKey });
    return result;
  }

  return {
    fetchStorefrontRefund: withConnectorFailures(fetchStorefrontRefund),
    recordRefundPosting: withConnectorFailures(recordRefundPosting),
    offsetUnrestockedStock: withConnectorFailures(offsetUnrestockedStock),
    findOriginalOrder: withConnectorFailures(findOriginalOrder),
    createCreditMemo: withConnectorFailures(createCreditMemo),
    reduceSalesOrder: withConnectorFailures(reduceSalesOrder),

    async parkRefund(input: RefundRef & { workflowId: string; attention: AttentionNotice }): Promise<void> {
      const { attention } = input;
      await parkForAttention(deps.db, {
        ...refundKey(input),
        code: attention.code,
        reason: attention.reason,
        fix: attention.fix,
        workflowId: input.workflowId,
        ...(attention.details !== undefined && { details: attention.details }),
      });
      await recordLedgerEntry(deps.db, refundKey(input), {
        state: 'parked',
        workflowId: input.workflowId,
        lastError: { code: attention.code, message: attention.reason, at: new Date() },
      });
    },

    async clearRefundAttention(input: RefundRef & { workflowId: string }): Promise<void> {
      await resolveAttention(deps.db, refundKey(input), `workflow ${input.workflowId}`);
      const entry = await findLedgerEntry(deps.db, refundKey(input));
      if (entry?.intacctDocumentId !== undefined && entry.state === 'parked')
        await recordLedgerEntry(deps.db, refundKey(input), { state: 'synced' });
    },

    async recordRefundSkipped(input: RefundRef & { workflowId: string; code: string; reason: string }): Promise<void> {
      await resolveAttention(deps.db, refundKey(input), `workflow ${input.workflowId} (refund skipped)`);
      await recordLedgerEntry(deps.db, refundKey(input), {
        state: 'skipped',
        workflowId: input.workflowId,
        lastError: { code: input.code, message: input.reason, at: new Date() },
      });
    },
  } satisfies Omit<ReturnToCreditMemoActivities, 'resolveItems'>;
}
