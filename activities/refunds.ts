import {
  collectByQuery,
  createArAdjustment,
  createInventoryAdjustment,
  createSalesDocument as createIntacctSalesDocument,
  fieldText,
  findSalesDocumentsByReference,
  queryLiteral,
  readItems,
  readSalesDocument,
  type IntacctClient,
} from '../connectors/intacct/index.js';
import type { CanonicalOrder } from '../mappers/canonical-order.js';
import { RefundMappingError, type CanonicalRefund } from '../mappers/canonical-refund.js';
import { fromBigCommerceRefund } from '../mappers/from-bigcommerce-refund.js';
import { fromClarityReturn } from '../mappers/from-clarity-return.js';
import type { AttentionNotice } from '../mappers/order-check.js';
import { PaymentAccountNotConfiguredError, choosePaymentDeposit } from '../mappers/payment-account.js';
import { CreditMemoMappingError, toIntacctCreditMemo, toIntacctStockOffset, type CreditedDocument } from '../mappers/to-intacct-credit-memo.js';
import { toIntacctRefundPosting } from '../mappers/to-intacct-refund-posting.js';
import type { ResolvedItem } from '../mappers/to-intacct-sales-document.js';
import { parkForAttention, resolveAttention } from '../store/attention.js';
import { findLedgerEntry, recordLedgerEntry } from '../store/ledger.js';
import { allMappingRows } from '../store/mappings.js';
import type { AdjustmentItemRow, PaymentMethodMappingRow } from '../store/schemas/mapping-tables.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import type { ItemResolution, OrderRef } from './order-to-cash-types.js';
import { activityAttempt, intacctControlId, operatorFailure } from './sales-documents.js';
import { createStorefrontOrderActivities } from './storefront-orders.js';

/** Failure types these activities throw themselves (never retried: a person has to act). */
export const refundFailures = {
  notFound: 'RefundNotFound',
  unmappable: 'RefundMappingError',
  creditMemoUnmappable: 'CreditMemoMappingError',
  /** The ledger's credited document is gone from Intacct. */
  creditedDocumentNotFound: 'CreditedDocumentNotFound',
} as const;

/** Which refund, of which order, tenant and storefront. */
export interface RefundRef extends OrderRef {
  refundId: string;
}

/** The refund as the storefront has it, with the order it refunds (for item resolution). */
export type FetchedRefund = { issued: true; refund: CanonicalRefund; order: CanonicalOrder } | { issued: false; reason: string };

/** Where the refunded order stands in Intacct, from the sync ledger (and the credited document's header). */
export type OriginalOrder =
  /** Posted and invoiced: the refund becomes a credit memo of this document. */
  | { state: 'invoiced'; credited: CreditedDocument; settingsVersion: number; creditMemoDefinition: string }
  /** Posted as a sales order not invoiced yet. */
  | { state: 'not_invoiced'; salesDocumentId: string }
  /** Not posted yet (unknown to the ledger, pending or parked): the refund waits for it. */
  | { state: 'waiting'; reason: string }
  /** The order will not be posted (skipped or cancelled), or the tenant does not process returns: the refund is skipped. */
  | { state: 'not_synced'; code: string; reason: string };

export interface CreateCreditMemoInput extends RefundRef {
  workflowId: string;
  refund: CanonicalRefund;
  credited: CreditedDocument;
  /** By the order's canonical line id. */
  items: Record<string, ResolvedItem>;
}

export interface RecordRefundPostingInput extends RefundRef {
  workflowId: string;
  refund: CanonicalRefund;
  /** The credit memo's customer. */
  customerId: string;
  creditMemoId: string;
}

export interface RecordedRefundPosting {
  /** RECORDNO of the AR adjustment that pays the refund out. */
  adjustmentKey: string;
  created: boolean;
}

export interface CreatedCreditMemo {
  /** DOCID, e.g. `Sales Credit Memo-CM-0003`. */
  creditMemoId: string;
  /** false when an earlier attempt (or run) had already created it. */
  created: boolean;
}

/**
 * The activities ReturnToCreditMemo calls, by name. `resolveItems` is OrderToCash's own (the
 * refund's items are the order's), registered once for both workflows.
 */
export interface ReturnToCreditMemoActivities {
  fetchStorefrontRefund(input: RefundRef): Promise<FetchedRefund>;
  findOriginalOrder(input: RefundRef): Promise<OriginalOrder>;
  resolveItems(input: { tenantId: string; order: CanonicalOrder }): Promise<ItemResolution>;
  createCreditMemo(input: CreateCreditMemoInput): Promise<CreatedCreditMemo>;
  /** Takes back out of stock what the credit memo returned to stock but was not restocked; nothing when all was restocked. */
  offsetUnrestockedStock(input: CreateCreditMemoInput & { creditMemoId: string }): Promise<{ documentId?: string; created: boolean }>;
  /** The money returned: an AR debit adjustment against the payment method's account, exactly once (ledger 'refund' `intacctKey`). */
  recordRefundPosting(input: RecordRefundPostingInput): Promise<RecordedRefundPosting>;
  parkRefund(input: RefundRef & { workflowId: string; attention: AttentionNotice }): Promise<void>;
  clearRefundAttention(input: RefundRef & { workflowId: string }): Promise<void>;
  recordRefundSkipped(input: RefundRef & { workflowId: string; code: string; reason: string }): Promise<void>;
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
    const notFound = () => operatorFailure(refundFailures.notFound, `${input.storefront} has no refund ${input.refundId} of order ${input.orderId}`);
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
      if (error instanceof RefundMappingError) throw operatorFailure(refundFailures.unmappable, error.message);
      throw error;
    }
  }

  /**
   * Where the order stands, from the ledger: its converted invoice, else its own document when
   * that posted an AR invoice. The credited document is read once for its customer.
   */
  async function findOriginalOrder(input: RefundRef): Promise<OriginalOrder> {
    const connection = await deps.connections.forTenant(input.tenantId);
    if (!connection.settings.returns.enabled) return { state: 'not_synced', code: 'returns_disabled', reason: `returns processing is off for tenant ${input.tenantId} (returns.enabled)` };
    const key = { tenantId: input.tenantId, externalId: input.orderId };
    const [order, invoice] = await Promise.all([findLedgerEntry(deps.db, { ...key, entity: 'order' }), findLedgerEntry(deps.db, { ...key, entity: 'invoice' })]);
    if (order === null) return { state: 'waiting', reason: `order ${input.orderId} has not been posted to Intacct yet` };
    if (order.state === 'skipped' || order.state === 'cancelled') {
      return { state: 'not_synced', code: `order_${order.state}`, reason: `order ${input.orderId} was ${order.state}${order.lastError ? ` (${order.lastError.message})` : ''}, so its refund is not posted` };
    }
    if (order.intacctDocumentId === undefined) return { state: 'waiting', reason: `order ${input.orderId} is ${order.state} and has no Intacct document yet` };
    const creditedId = invoice?.state === 'synced' && invoice.intacctDocumentId !== undefined ? invoice.intacctDocumentId : order.arInvoiceKey ? order.intacctDocumentId : undefined;
    const client = await connection.intacct();
    const document = await readSalesDocument(client, creditedId ?? order.intacctDocumentId);
    if (document === undefined) throw operatorFailure(refundFailures.creditedDocumentNotFound, `${creditedId ?? order.intacctDocumentId} (order ${input.orderId}) no longer exists in Intacct`);
    if (creditedId === undefined && document.arInvoiceKey === '') return { state: 'not_invoiced', salesDocumentId: document.documentId };
    return {
      state: 'invoiced',
      credited: { documentId: document.documentId, customerId: document.customerId },
      settingsVersion: connection.settingsVersion,
      creditMemoDefinition: connection.settings.returns.creditMemoTransactionDefinition,
    };
  }

  /** Maps the refund to the tenant's credit memo and creates it unless the ledger holds it. */
  async function createCreditMemo(input: CreateCreditMemoInput): Promise<CreatedCreditMemo> {
    const key = refundKey(input);
    const known = await findLedgerEntry(deps.db, key);
    if (known?.state === 'synced' && known.intacctDocumentId !== undefined) return { creditMemoId: known.intacctDocumentId, created: false };
    const connection = await deps.connections.forTenant(input.tenantId);
    const { document } = await mapCreditMemo(input, connection);
    const client = await connection.intacct();
    const counted = await recordLedgerEntry(deps.db, key, { countAttempt: true, workflowId: input.workflowId, settingsVersion: connection.settingsVersion });
    let result: CreatedCreditMemo | undefined;
    if (activityAttempt() > 1 || counted.attempts > 1) {
      const [found] = await findSalesDocumentsByReference(client, document.transactionDefinition, document.referenceNumber);
      if (found) result = { creditMemoId: found.documentId, created: false };
    }
    if (result === undefined) {
      const created = await createIntacctSalesDocument(client, document, intacctControlId('cm-create', input.tenantId, input.refundId));
      result = { creditMemoId: created.documentId, created: created.created };
    }
    await recordLedgerEntry(deps.db, key, { state: 'synced', intacctDocumentId: result.creditMemoId, workflowId: input.workflowId, settingsVersion: connection.settingsVersion });
    return result;
  }

  /** The credit memo's mapping again (pure, same inputs): what it booked into stock that was not restocked. */
  async function mapCreditMemo(input: CreateCreditMemoInput, connection: Awaited<ReturnType<typeof deps.connections.forTenant>>) {
    const adjustmentItems = (await allMappingRows(deps.db, input.tenantId, 'adjustmentItems')).map((document) => document.row as AdjustmentItemRow);
    try {
      return toIntacctCreditMemo({ refund: input.refund, credited: input.credited, settings: connection.settings, items: new Map(Object.entries(input.items)), adjustmentItems });
    } catch (error) {
      if (error instanceof CreditMemoMappingError) throw operatorFailure(refundFailures.creditMemoUnmappable, error.message);
      throw error;
    }
  }

  /**
   * Posts the stock offset once. The workflow runs it before the refund's AR posting, so a
   * ledger entry holding the posting's key means it is done; otherwise the control id
   * `rf-stock:{tenant}:{refundId}` with `uniqueid`, and the refund id as reference number (looked
   * up on retries), keep it single.
   */
  async function offsetUnrestockedStock(input: CreateCreditMemoInput & { creditMemoId: string }): Promise<{ documentId?: string; created: boolean }> {
    const known = await findLedgerEntry(deps.db, refundKey(input));
    if (known?.intacctKey !== undefined) return { created: false };
    const connection = await deps.connections.forTenant(input.tenantId);
    const { unrestocked } = await mapCreditMemo(input, connection);
    if (unrestocked.length === 0) return { created: false };
    const client = await connection.intacct();
    const items = await readItems(client, [...new Set(unrestocked.map((line) => line.itemId))]);
    const stockedItemIds = new Set(items.filter((item) => item.itemType === 'Inventory' || item.itemType === 'Stockable Kit').map((item) => item.itemId));
    const offset = toIntacctStockOffset({ refund: input.refund, creditMemoId: input.creditMemoId, unrestocked, stockedItemIds, settings: connection.settings });
    if (offset === undefined) return { created: false };
    if (activityAttempt() > 1) {
      const [found] = await collectByQuery(client, {
        object: 'INVDOCUMENT',
        query: `DOCPARID = ${queryLiteral(offset.transactionDefinition)} AND PONUMBER = ${queryLiteral(offset.referenceNumber)}`,
        fields: ['DOCID'],
        pageSize: 1,
        controlIdPrefix: 'invdoc-by-reference',
      });
      if (found !== undefined) return { documentId: fieldText(found, 'DOCID'), created: false };
    }
    return createInventoryAdjustment(client, offset, intacctControlId('rf-stock', input.tenantId, input.refundId));
  }

  /** The GL account behind a bank account: read only when the payment method deposits to a bank. */
  async function bankGlAccount(client: IntacctClient, bankAccountId: string): Promise<string | undefined> {
    const [record] = await collectByQuery(client, { object: 'CHECKINGACCOUNT', query: `BANKACCOUNTID = ${queryLiteral(bankAccountId)}`, fields: ['BANKACCOUNTID', 'GLACCOUNTNO'], pageSize: 1, controlIdPrefix: 'bank-gl-account' });
    const glAccountNo = record === undefined ? '' : fieldText(record, 'GLACCOUNTNO');
    return glAccountNo === '' ? undefined : glAccountNo;
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
    const paymentMethodRows = (await allMappingRows(deps.db, input.tenantId, 'paymentMethods')).map((document) => document.row as PaymentMethodMappingRow);
    let deposit;
    try {
      ({ deposit } = choosePaymentDeposit(input.refund.paymentMethod, connection.settings.orderSync.payments, paymentMethodRows));
    } catch (error) {
      if (error instanceof PaymentAccountNotConfiguredError) throw operatorFailure(error.type, error.message);
      throw error;
    }
    const client = await connection.intacct();
    const bankGlAccountNo = 'bankAccountId' in deposit ? await bankGlAccount(client, deposit.bankAccountId) : undefined;
    if ('bankAccountId' in deposit && bankGlAccountNo === undefined) {
      throw operatorFailure('PaymentAccountNotConfigured', `bank account ${deposit.bankAccountId} has no GL account in Intacct, so refund ${input.refundId} cannot be paid out of it`);
    }
    const posting = toIntacctRefundPosting({ refund: input.refund, customerId: input.customerId, creditMemoId: input.creditMemoId, settings: connection.settings, paymentMethodRows, bankGlAccountNo });
    let result: RecordedRefundPosting | undefined;
    if (activityAttempt() > 1) {
      const [found] = await collectByQuery(client, { object: 'ARADJUSTMENT', query: `RECORDID = ${queryLiteral(posting.adjustmentNumber)}`, fields: ['RECORDNO'], pageSize: 1, controlIdPrefix: 'aradj-by-number' });
      if (found !== undefined) result = { adjustmentKey: fieldText(found, 'RECORDNO'), created: false };
    }
    result ??= await createArAdjustment(client, posting, intacctControlId('rf-post', input.tenantId, input.refundId));
    await recordLedgerEntry(deps.db, key, { intacctKey: result.adjustmentKey });
    return result;
  }

  return {
    fetchStorefrontRefund: withConnectorFailures(fetchStorefrontRefund),
    recordRefundPosting: withConnectorFailures(recordRefundPosting),
    offsetUnrestockedStock: withConnectorFailures(offsetUnrestockedStock),
    findOriginalOrder: withConnectorFailures(findOriginalOrder),
    createCreditMemo: withConnectorFailures(createCreditMemo),

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
      await recordLedgerEntry(deps.db, refundKey(input), { state: 'parked', workflowId: input.workflowId, lastError: { code: attention.code, message: attention.reason, at: new Date() } });
    },

    async clearRefundAttention(input: RefundRef & { workflowId: string }): Promise<void> {
      await resolveAttention(deps.db, refundKey(input), `workflow ${input.workflowId}`);
      const entry = await findLedgerEntry(deps.db, refundKey(input));
      if (entry?.intacctDocumentId !== undefined && entry.state === 'parked') await recordLedgerEntry(deps.db, refundKey(input), { state: 'synced' });
    },

    async recordRefundSkipped(input: RefundRef & { workflowId: string; code: string; reason: string }): Promise<void> {
      await resolveAttention(deps.db, refundKey(input), `workflow ${input.workflowId} (refund skipped)`);
      await recordLedgerEntry(deps.db, refundKey(input), { state: 'skipped', workflowId: input.workflowId, lastError: { code: input.code, message: input.reason, at: new Date() } });
    },
  } satisfies Omit<ReturnToCreditMemoActivities, 'resolveItems'>;
}

export type RefundActivities = ReturnType<typeof createRefundActivities>;
