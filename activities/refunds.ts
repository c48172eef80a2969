import { orderEntityOf } from './intacct-writes.js';
import { readSalesDocument, readSalesDocumentHeader } from '../connectors/intacct/index.js';
import { RefundMappingError } from '../mappers/canonical-refund.js';
import { fromBigCommerceRefund } from '../mappers/from-bigcommerce-refund.js';
import { fromClarityReturn } from '../mappers/from-clarity-return.js';
import { withoutContacts } from '../mappers/order-views.js';
import type { AttentionNotice } from '../workflows/shared-contract.js';
import { refundsAppliedTo } from '../mappers/to-intacct-sales-order-reduction.js';
import { closeAttention, openAttention } from './attention-events.js';
import { findLedgerEntry, recordLedgerEntry } from '../store/ledger.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { operatorFailure } from './flow-failure.js';
import {
  returnToCreditMemoFailures,
  type FetchedRefund,
  type OriginalOrder,
  type RefundRef,
  type ReturnToCreditMemoActivities,
} from '../workflows/return-to-credit-memo-contract.js';
import { createStorefrontOrderActivities } from './storefront-orders.js';
import { createCreditMemoActivities } from './credit-memos.js';
import { refundKey } from './refund-writes.js';
import { createRefundPostingActivities } from './refund-postings.js';
import { createRefundCreditApplicationActivities } from './refund-credit-applications.js';
import { createSalesOrderReductionActivities } from './sales-order-reductions.js';

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
        return { issued: true, refund: fromBigCommerceRefund(refund, order), order: withoutContacts(order) };
      }
      const record = await read(() => storefront.client.getReturn(input.refundId));
      const mapped = fromClarityReturn(record, order);
      return 'refunded' in mapped
        ? { issued: false, reason: mapped.reason }
        : { issued: true, refund: mapped, order: withoutContacts(order) };
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
    const client = await connection.intacct(orderEntityOf(order));
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
      if (connection.settings.orderSync.adjustments.tax === 'perLine') {
        // Intacct cannot change an existing line's tax detail (update_sotransaction), so the sales order cannot come down by the tax.
        throw operatorFailure(
          returnToCreditMemoFailures,
          'RefundBeforeInvoice',
          `order ${input.orderId} is ${document.documentId}, not invoiced yet, and its tax is line tax detail (perLine), which a sales order's lines cannot give back: the refund becomes a credit memo once the order is invoiced`,
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

  return {
    fetchStorefrontRefund: withConnectorFailures(fetchStorefrontRefund),
    findOriginalOrder: withConnectorFailures(findOriginalOrder),
    ...createCreditMemoActivities(deps),
    ...createSalesOrderReductionActivities(deps),
    ...createRefundPostingActivities(deps),
    ...createRefundCreditApplicationActivities(deps),

    async parkRefund(input: RefundRef & { workflowId: string; attention: AttentionNotice }): Promise<void> {
      const { attention } = input;
      await openAttention(deps, {
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
      await closeAttention(deps, refundKey(input), `workflow ${input.workflowId}`);
      const entry = await findLedgerEntry(deps.db, refundKey(input));
      if (entry?.intacctDocumentId !== undefined && entry.state === 'parked')
        await recordLedgerEntry(deps.db, refundKey(input), { state: 'synced' });
    },

    async recordRefundSkipped(input: RefundRef & { workflowId: string; code: string; reason: string }): Promise<void> {
      await closeAttention(deps, refundKey(input), `workflow ${input.workflowId} (refund skipped)`);
      await recordLedgerEntry(deps.db, refundKey(input), {
        state: 'skipped',
        workflowId: input.workflowId,
        lastError: { code: input.code, message: input.reason, at: new Date() },
      });
    },
  } satisfies Omit<ReturnToCreditMemoActivities, 'resolveItems'>;
}
