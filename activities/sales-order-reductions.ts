import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { readSalesDocumentHeader, readSalesDocumentLines, updateSalesDocumentOnce } from '../connectors/intacct/index.js';
import {
  SalesOrderReductionError,
  refundsAppliedTo,
  toIntacctSalesOrderReduction,
  withRefundApplied,
} from '../mappers/to-intacct-sales-order-reduction.js';
import { acquireLedgerLease, findLedgerEntry, recordLedgerEntry, releaseLedgerLease } from '../store/ledger.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { intacctControlId, intacctForOrder } from './intacct-writes.js';
import { readMappingTable } from './mapping-rows.js';
import { operatorFailure } from './flow-failure.js';
import {
  returnToCreditMemoFailures,
  salesOrderBusyFailure,
  type ReducedSalesOrder,
  type ReduceSalesOrderInput,
  type ReturnToCreditMemoActivities,
} from '../workflows/return-to-credit-memo-contract.js';
import { refundKey, refusing } from './refund-writes.js';

/** How long one refund may hold its sales order for a read-modify-write (a crashed holder's lease runs out). */
const reductionLeaseMs = 2 * 60_000;

/**
 * ReturnToCreditMemo's reduction of a sales order not invoiced yet: its lines come down by the
 * refund (or it closes), exactly once, under a ledger lease on the order so two refunds of it
 * never read-modify-write its lines at once.
 */
export function createSalesOrderReductionActivities(deps: ActivityDependencies) {
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
    const client = await intacctForOrder(deps, input);
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
      const [adjustmentItems, taxRates] = await Promise.all([
        readMappingTable(deps.db, input.tenantId, 'adjustmentItems'),
        connection.settings.orderSync.adjustments.tax === 'perJurisdiction'
          ? readMappingTable(deps.db, input.tenantId, 'taxRates')
          : Promise.resolve([]),
      ]);
      let reduction;
      try {
        reduction = toIntacctSalesOrderReduction({
          refund: input.refund,
          salesDocumentId: header.documentId,
          lines,
          items: new Map(Object.entries(input.items)),
          adjustmentItems,
          taxRates,
          ...(input.orderTax !== undefined && { orderTax: input.orderTax }),
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

  return {
    reduceSalesOrder: withConnectorFailures(reduceSalesOrder),
  } satisfies Pick<ReturnToCreditMemoActivities, 'reduceSalesOrder'>;
}
