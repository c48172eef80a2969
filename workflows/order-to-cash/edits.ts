import { patched, setCurrentDetails } from '@temporalio/workflow';
import { decideOrderEdit, describeDifferences, type OrderDifference } from '../../decisions/order-edit.js';
import type { CanonicalOrder } from '../../mappers/canonical-order.js';
import { withoutContacts } from '../../mappers/order-views.js';
import { orderToCashFailures, type OrderToCashStep } from '../order-to-cash-contract.js';
import { ItemParked, parkUntilRetried, untilDone, type ParkingPlace, type StepText } from '../shared/parking.js';
import { bookkeeping, mapping, vendorCall } from './activities.js';
import { CancellationRequested, type OrderRun } from './order-run.js';
import { orderParking, resolveCustomer, resolveItems } from './posting.js';
import { orderSummary } from './step-text.js';
import { writeBackQuietly } from './storefront.js';

/** Histories recorded before edits after posting were followed replay without a look at what the edit changed. */
const salesOrderEditsPatch = 'sales-order-edits';

/** The parks only a person can settle: an operator's retry of one accepts the storefront order as it is. */
type EditPark = 'EditedAfterInvoicing' | 'SalesOrderNotEditable' | 'EditChangesLineTax';
const editParkCodes: readonly string[] = [
  orderToCashFailures.EditedAfterInvoicing.code,
  orderToCashFailures.SalesOrderNotEditable.code,
  orderToCashFailures.EditChangesLineTax.code,
];

const editStep = {
  fetchAgain: ({ ref, storefrontName }: OrderRun): StepText<OrderToCashStep> => ({
    step: 'updating_sales_document',
    label: `Fetch order ${ref.orderId} from ${storefrontName} again`,
    failure: 'fetching the edited order from the storefront',
    summary: `Fetch edited order ${ref.orderId} from ${storefrontName}`,
  }),
  buildSalesDocument: (order: OrderRun): StepText<OrderToCashStep> => ({
    step: 'updating_sales_document',
    label: 'Map the edited order to the sales document',
    failure: 'mapping the edited order to a sales document',
    summary: `Map edited order ${order.ref.orderId} to a ${order.plan.transactionDefinition}`,
  }),
  updateSalesOrder: (salesDocumentId: string): StepText<OrderToCashStep> => ({
    step: 'updating_sales_document',
    label: `Update ${salesDocumentId} to match the storefront`,
    failure: 'updating the sales document to match the storefront',
    summary: `Update ${salesDocumentId} to match the storefront's edit`,
  }),
};

/**
 * An edit made in the storefront after the sales document exists (step 8, after a change
 * fetch): compared with what the document holds (`decideOrderEdit`), it costs nothing more when
 * the books do not care (staff notes, a status, the store's echo of the product's own write);
 * updates the sales order to match while nothing is invoiced (once per storefront version: the
 * version the update is made from is the one the workflow then holds); and parks the order as
 * `edited_after_invoicing`, with what the store says against what Intacct holds, once something
 * is. Whatever fails parks the order like a posting step, and its retry fetches the order again.
 */
export async function followStorefrontEdit(order: OrderRun, fetched: CanonicalOrder): Promise<void> {
  if (!patched(salesOrderEditsPatch)) return;
  let current = fetched;
  let parked = false;
  let accepted = false;
  const parking = editParking(order);
  await untilDone(
    async () => {
      if (parked) current = await fetchAgain(order);
      await bringSalesOrderInLine(order, current, accepted);
    },
    async (park) => {
      parked = true;
      await parkUntilRetried(parking, park);
      // A person settled the differences in Intacct and retried: the storefront order stands as it is.
      accepted = editParkCodes.includes(park.attention.code) && parking.retriedByOperator;
    },
  );
  // Steps that ran (or a park) showed themselves: the watch shows itself again.
  if (order.status.step === 'awaiting_fulfilment') return;
  order.status.step = 'awaiting_fulfilment';
  setCurrentDetails(`Posted as ${order.status.intacct.salesDocumentId}; watching for shipment and cancellation`);
  if (!parked) return;
  order.showState('synced');
  if (order.status.attention !== undefined) {
    await bookkeeping.clearOrderAttention({ ...order.ref, workflowId: order.workflowId });
    delete order.status.attention;
  }
}

/** The order again after a park, checked like any change: a cancellation meanwhile ends the watch. */
async function fetchAgain(order: OrderRun): Promise<CanonicalOrder> {
  const fetched = order.actOn(
    await order.step(editStep.fetchAgain(order), (options) => vendorCall.fetchStorefrontOrder.executeWithOptions(options, [order.ref])),
  );
  const check = await bookkeeping.checkOrder({ tenantId: order.ref.tenantId, order: withoutContacts(fetched) });
  if (check.action === 'cancel') throw new CancellationRequested(check.reason);
  return fetched;
}

async function bringSalesOrderInLine(order: OrderRun, current: CanonicalOrder, accepted: boolean): Promise<void> {
  const { ref, status } = order;
  const salesDocumentId = status.intacct.salesDocumentId!;
  const decision = accepted
    ? { action: 'none' as const }
    : decideOrderEdit({ booked: order.booked, current, invoiced: status.intacct.invoiceDocumentId !== undefined });
  if (decision.action === 'park')
    throw editParked(order, 'EditedAfterInvoicing', `after it was invoiced as ${status.intacct.invoiceDocumentId}`, decision.differences);
  if (decision.action === 'update') {
    const customerId = status.intacct.customerId ?? (await resolveCustomer(order, current));
    const items = await resolveItems(order, current);
    const document = await order.step(editStep.buildSalesDocument(order), (options) =>
      mapping.buildSalesDocument.executeWithOptions(options, [{ tenantId: ref.tenantId, order: current, customerId, items }]),
    );
    // What the workflow cannot compare (an order an earlier run posted) goes to Intacct whole.
    const contactsChanged = decision.differences.length === 0 || decision.differences.some(({ what }) => what.endsWith('address'));
    const update = await order.step(editStep.updateSalesOrder(salesDocumentId), (options) =>
      vendorCall.updateSalesOrderToMatch.executeWithOptions(options, [
        {
          ...ref,
          workflowId: order.workflowId,
          salesDocumentId,
          ...order.actedOnStamp(),
          // The document's contacts go only where Intacct is to get them.
          document: contactsChanged ? document : withoutHeaderContacts(document),
          currency: current.currency,
          contactsChanged,
        },
      ]),
    );
    if (update.state === 'tax_not_updatable')
      // Only Intacct's lines say which tax could not follow, so they are the differences; no earlier history saw this state.
      throw editParked(
        order,
        'EditChangesLineTax',
        `so that lines taxed per line change, and an update cannot change ${salesDocumentId}'s line tax`,
        update.differences,
      );
    if (update.state === 'invoiced' || update.state === 'not_editable') {
      // What this run knows was sent says more than Intacct's lines (addresses, shipping); a run
      // that does not know it, and finds every line as the store has it, has nothing to report.
      const differences = decision.differences.length > 0 ? decision.differences : update.differences;
      if (differences.length > 0) {
        throw update.state === 'invoiced'
          ? editParked(order, 'EditedAfterInvoicing', `after it was invoiced (${salesDocumentId} is ${update.intacctState})`, differences)
          : editParked(
              order,
              'SalesOrderNotEditable',
              `but refunds reduced or someone closed ${salesDocumentId} (${update.intacctState})`,
              differences,
            );
      }
    }
  }
  order.booked = current;
}

/** The park of an edit the books cannot follow; `why` finishes "order 123 was edited in BigCommerce …". */
function editParked(order: OrderRun, type: EditPark, why: string, differences: readonly OrderDifference[]): ItemParked {
  const { code, fix } = orderToCashFailures[type];
  const lines = describeDifferences(differences);
  return new ItemParked(
    {
      code,
      reason: `order ${order.ref.orderId} was edited in ${order.storefrontName} ${why}: ${lines.length === 0 ? 'no line differs' : lines.join('; ')}`,
      fix,
      details: { differences: differences.map((difference) => ({ ...difference })) },
    },
    false,
  );
}

/**
 * Parked like a posting step, except that an edit the books cannot follow is never unwound
 * (`onPermanentFailure: unwind`): the sales order and its invoice are right for the order as
 * it was, and only a person can say what the edit means for them.
 */
function editParking(order: OrderRun): ParkingPlace & { readonly retriedByOperator: boolean } {
  const place = orderParking(order);
  let retriedByOperator = false;
  return {
    ...place,
    get retriedByOperator() {
      return retriedByOperator;
    },
    async worthRetrying() {
      const retried = order.requests.retryRequested;
      const worth = await place.worthRetrying();
      retriedByOperator = worth && retried;
      return worth;
    },
    async recordPark(parked) {
      if (!editParkCodes.includes(parked.attention.code)) return place.recordPark(parked);
      await bookkeeping.parkOrder.executeWithOptions({ summary: orderSummary.park(parked.attention.code) }, [
        { ...order.ref, workflowId: order.workflowId, attention: parked.attention },
      ]);
      await writeBackQuietly(order, {
        ...order.ref,
        state: 'needs_attention',
        attentionCode: parked.attention.code,
        salesDocumentId: order.status.intacct.salesDocumentId!,
      });
    },
  };
}

/** A sales document without its bill-to and ship-to, for an update that leaves them as they are. */
function withoutHeaderContacts<T extends { billTo?: unknown; shipTo?: unknown }>(document: T): Omit<T, 'billTo' | 'shipTo'> {
  const { billTo: _billTo, shipTo: _shipTo, ...rest } = document;
  return rest;
}
