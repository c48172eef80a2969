import { createHash } from 'node:crypto';
import { readSalesDocumentHeader, readSalesDocumentLines, updateSalesDocumentOnce } from '../connectors/intacct/index.js';
import { refundsAppliedTo } from '../mappers/to-intacct-sales-order-reduction.js';
import { toIntacctSalesOrderEdit } from '../mappers/to-intacct-sales-order-edit.js';
import {
  orderToCashFailures,
  type OrderToCashActivities,
  type SalesOrderUpdate,
  type UpdateSalesOrderInput,
} from '../workflows/order-to-cash-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { operatorFailure } from './flow-failure.js';
import { intacctControlId, intacctForOrder } from './intacct-writes.js';

/** States in which documents were made from a sales order: it cannot be updated any more. */
const invoicedStates = ['Converted', 'Partially Converted', 'In Progress'];

/** OrderToCash's edits after posting: the sales order brought in line with the store's order. */
export function createSalesOrderEditActivities(deps: Pick<ActivityDependencies, 'db' | 'connections'>) {
  /**
   * Reads the sales order's header and lines, and sends the one `update_sotransaction` that
   * makes its lines what the store's order maps to (absolute quantities and prices, so a repeat
   * finds nothing to change). The control id names the storefront version and the change, sent
   * with `uniqueid`, so a retry whose answer was lost is refused as already recorded. A sales
   * order that documents were made from, or that refunds reduced or that was closed, or an
   * edit that would change the tax of lines taxed per line (which an update cannot), is
   * reported with its differences, never written.
   */
  async function updateSalesOrderToMatch(input: UpdateSalesOrderInput): Promise<SalesOrderUpdate> {
    const client = await intacctForOrder(deps, input);
    const header = await readSalesDocumentHeader(client, input.salesDocumentId);
    if (header === undefined)
      throw operatorFailure(
        orderToCashFailures,
        'SalesDocumentNotFound',
        `${input.salesDocumentId} (order ${input.orderId}) no longer exists in Intacct, so the storefront's edit cannot be applied to it`,
      );
    const held = await readSalesDocumentLines(client, header.documentId);
    const edit = toIntacctSalesOrderEdit({ currency: header.currency || input.currency, held, wanted: input.document.lines });
    const frozen = invoicedStates.includes(header.state)
      ? 'invoiced'
      : header.state === 'Closed' || refundsAppliedTo(header.message).length > 0
        ? 'not_editable'
        : undefined;
    if (frozen !== undefined) return { state: frozen, intacctState: header.state, differences: edit.differences };
    // Written, the changed lines would keep their first tax and the sales order would no longer total the store's order.
    if (edit.taxNotUpdatable.length > 0)
      return { state: 'tax_not_updatable', intacctState: header.state, differences: [...edit.differences, ...edit.taxNotUpdatable] };
    const contacts = input.contactsChanged
      ? {
          ...(input.document.shipTo !== undefined && { shipTo: input.document.shipTo }),
          ...(input.document.billTo !== undefined && { billTo: input.document.billTo }),
        }
      : {};
    if (edit.changedLines.length === 0 && edit.addedLines.length === 0 && Object.keys(contacts).length === 0) return { state: 'unchanged' };
    const update = { documentId: header.documentId, ...contacts, changedLines: edit.changedLines, addedLines: edit.addedLines };
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([input.storefrontStamp ?? '', update]))
      .digest('hex')
      .slice(0, 16);
    await updateSalesDocumentOnce(client, update, intacctControlId('so-edit', input.tenantId, input.orderId, fingerprint));
    return { state: 'updated' };
  }

  return {
    updateSalesOrderToMatch: withConnectorFailures(updateSalesOrderToMatch),
  } satisfies Pick<OrderToCashActivities, 'updateSalesOrderToMatch'>;
}
