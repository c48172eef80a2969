import {
  createInventoryAdjustment,
  createSalesDocument as createIntacctSalesDocument,
  findInventoryDocumentByReference,
  findSalesDocumentsByReference,
  readItems,
} from '../connectors/intacct/index.js';
import { formatAmount, parseAmount } from '../mappers/money.js';
import { CreditMemoMappingError, toIntacctCreditMemo, toIntacctStockOffset } from '../mappers/to-intacct-credit-memo.js';
import { findLedgerEntry, listOrderRefunds, recordLedgerEntry } from '../store/ledger.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { activityAttempt, intacctControlId, intacctForOrder } from './intacct-writes.js';
import { readMappingTable } from './mapping-rows.js';
import { operatorFailure } from './flow-failure.js';
import {
  returnToCreditMemoFailures,
  type CreateCreditMemoInput,
  type CreatedCreditMemo,
  type ReturnToCreditMemoActivities,
} from '../workflows/return-to-credit-memo-contract.js';
import { refundKey, refusing } from './refund-writes.js';

/**
 * ReturnToCreditMemo's credit memo activities: the credit memo of the invoice, written exactly
 * once (ledger 'refund' first, then a stable control id with `uniqueid`; Intacct searched by
 * reference only on a retry), and the stock offset of what it returned but was not restocked.
 */
export function createCreditMemoActivities(deps: ActivityDependencies) {
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
    const client = await intacctForOrder(deps, input);
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
    const taxMode = connection.settings.orderSync.adjustments.tax;
    const [adjustmentItems, taxRates] = await Promise.all([
      readMappingTable(deps.db, input.tenantId, 'adjustmentItems'),
      taxMode === 'perLine' || taxMode === 'perJurisdiction' ? readMappingTable(deps.db, input.tenantId, 'taxRates') : Promise.resolve([]),
    ]);
    try {
      return toIntacctCreditMemo({
        refund: input.refund,
        credited: input.credited,
        settings: connection.settings,
        items: new Map(Object.entries(input.items)),
        adjustmentItems,
        taxRates,
        ...(input.orderTax !== undefined && { orderTax: input.orderTax }),
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
    const client = await intacctForOrder(deps, input);
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

  return {
    createCreditMemo: withConnectorFailures(createCreditMemo),
    offsetUnrestockedStock: withConnectorFailures(offsetUnrestockedStock),
  } satisfies Pick<ReturnToCreditMemoActivities, 'createCreditMemo' | 'offsetUnrestockedStock'>;
}
