import type { ProcessStack } from '../support/process-stack.js';
import { parseOrderToCashWorkflowId, orderToCashWorkflowId } from '../../workflows/order-to-cash-contract.js';
import type { StorefrontKind } from '../../mappers/canonical-order.js';
import type { AfterPosting, OrderStory } from './plan.js';
import type { BigCommerceOrderView, ClarityOrderView, Storefronts } from './storefronts.js';
import {
  capturedCents,
  cents,
  lineDifferences,
  orderOfPayment,
  shippedAmountCents,
  type DocumentLine,
  type StoreTransaction,
} from './verify-amounts.js';
import {
  entityDifferences,
  fidelityDifferences,
  invoiceTaxDifferences,
  lineShipToDifferences,
  type FidelityDocumentLine,
  type FidelitySetup,
  type StoreLineShipTo,
} from './verify-fidelity.js';
import { entityByRules, giftWrappingItem, salesTax, vat } from './order-fidelity.js';
import type { OrderMix } from './plan.js';
import { editedStoreLines, type StoreOrderBeforeEdit } from './after-posting.js';
import {
  editChangesLineTax,
  editUpdatesSent,
  expectedEditOutcome,
  parkedEditDifferences,
  type AttentionRecord,
  type LoggedIntacctRequest,
} from './verify-edits.js';

/** An order the run placed, by the id its store gave it. */
export interface PlacedOrder {
  storefront: StorefrontKind;
  tenantId: string;
  orderId: string;
  story: OrderStory;
  /** What the run did to the order once posted (edits, captures, shipments). */
  afterPosting: AfterPosting;
  /** Placed while the store's gateway only authorised. */
  authoriseOnly: boolean;
  /** The order as the store had it just before the merchant edited it after posting (BigCommerce). */
  beforeEdit?: StoreOrderBeforeEdit;
}

/** One OrderToCash workflow as Temporal's visibility lists it (its latest run). */
export interface WorkflowRow {
  workflowId: string;
  status: string;
  syncState: string | undefined;
  intacctDocument: string | undefined;
  runs: number;
}

/** What the Intacct sandbox already held before the run (its seed), left out of the checks. */
export interface IntacctBaseline {
  documents: Set<string>;
  payments: Set<string>;
}

interface WebhookFigures {
  events: number;
  deliveries: number;
  attempts: number;
  attemptsByStatus: Record<string, number>;
  /** Events some copy of which never got a 2xx. */
  eventsNeverDelivered: number;
  /** Events delivered (2xx) at least three times. */
  eventsDeliveredAtLeast3Times: number;
  /** Orders whose events' first arrivals came in another order than the store sent them. */
  ordersWithEventsOutOfOrder: number;
}

export interface ChaosVerification {
  outcomes: Record<string, number>;
  /** Closed workflows started again by a late webhook; what they wrote is checked like any run's. */
  workflowsRunAgainAfterClosing: number;
  webhooks: {
    bigcommerce: WebhookFigures;
    clarity: WebhookFigures;
    receivedByProduct: number;
    /** Hooks a store deactivated during the run and the product's sweep re-activated: not a violation, but worth a look. */
    reactivatedBySweep: string[];
  };
  intacct: {
    documentsCreated: number;
    paymentsCreated: number;
    paymentsReversed: number;
    requests: number;
    requestsPerOrder: number;
    requestsPerOrderByFunction: Record<string, number>;
  };
  attention: { open: number; resolved: number; codes: Record<string, number> };
  /**
   * The order-fidelity mix as the store has it, among the orders checked against a sales
   * document (BigCommerce); `editsParked`: orders whose edit after posting re-taxed a line taxed
   * per line, so it was parked as `edit_changes_line_tax` and checked against the order before it;
   * `shippedToSeveralAddresses`: orders whose lines' ship-tos were checked against their consignments.
   */
  fidelity: {
    taxedOrders: number;
    vatInclusive: number;
    giftWrapped: number;
    shippedToSeveralAddresses: number;
    byEntity: Record<string, number>;
    editsParked: number;
  };
  violations: string[];
}

/** What the chaos BigCommerce tenant was set up with (`order-fidelity.ts`). */
const fidelitySetup: FidelitySetup = {
  taxDetailId: salesTax.detailId,
  vatDetailId: vat.detailId,
  giftWrappingItem,
  entityFor: entityByRules,
};

/** Every OrderToCash of the stack's tenants, by workflow id, from Temporal's visibility. */
export async function readWorkflows(stack: ProcessStack): Promise<Map<string, WorkflowRow>> {
  const rows = new Map<string, WorkflowRow>();
  for (const tenant of stack.tenants) {
    for await (const execution of stack.client.workflow.list({ query: `TenantId = '${tenant.tenantId}'` })) {
      if (!execution.workflowId.startsWith('order-to-cash:')) continue;
      const attributes = execution.searchAttributes as Record<string, unknown[] | undefined>;
      const row: WorkflowRow = {
        workflowId: execution.workflowId,
        status: execution.status.name,
        syncState: attributes.SyncState?.[0] as string | undefined,
        intacctDocument: attributes.IntacctDocument?.[0] as string | undefined,
        runs: 1,
      };
      const seen = rows.get(execution.workflowId);
      // Visibility lists the newest run first.
      rows.set(execution.workflowId, seen ? { ...seen, runs: seen.runs + 1 } : row);
    }
  }
  return rows;
}

/** Webhook deliveries still pending in either store (a copy not yet sent, or waiting for a retry). */
export async function pendingDeliveries(stores: Storefronts): Promise<number> {
  const bigCommerce = (await stores.bigCommerce('GET', '/_control/webhooks')).body.deliveries as Array<{ state: string }>;
  const clarity = (await stores.clarity('GET', '/webhook-deliveries')).body.data as Array<{ state: string }>;
  return [...bigCommerce, ...clarity].filter((delivery) => delivery.state === 'pending').length;
}

/** Reads the Intacct records that exist before the run. */
export async function intacctBaseline(stores: Storefronts): Promise<IntacctBaseline> {
  return {
    documents: new Set((await stores.intacctRecords('SODOCUMENT')).map((record) => record.RECORDNO!)),
    payments: new Set((await stores.intacctRecords('ARPYMT')).map((record) => record.RECORDNO!)),
  };
}

/**
 * Checks every placed order against the systems' own state: the storefront's order (status,
 * total, payment, write-back), Intacct's records (documents by reference number, payments by
 * their reference), Temporal (the workflow, its search attributes), MongoDB (the ledger, the
 * attention queue), and both stores' webhook logs.
 */
export async function verifyRun(
  stack: ProcessStack,
  storefronts: Storefronts,
  placed: PlacedOrder[],
  tally: { requests: number; byFunction: Record<string, number> },
  baseline: IntacctBaseline,
  mix: OrderMix = 'fidelity',
): Promise<ChaosVerification> {
  const violations: string[] = [];
  const flag = (order: PlacedOrder, problem: string) =>
    violations.push(`${order.storefront} order ${order.orderId} (${order.story}): ${problem}`);
  const [bigCommerceOrders, clarityOrders, allDocuments, allPayments, documentLines, documentLineTaxes, workflows] = await Promise.all([
    storefronts.bigCommerceOrders(),
    storefronts.clarityOrders(),
    storefronts.intacctRecords('SODOCUMENT'),
    storefronts.intacctRecords('ARPYMT'),
    storefronts.intacctRecords('SODOCUMENTENTRY'),
    storefronts.intacctRecords('SODOCUMENTSUBTOTALS'),
    readWorkflows(stack),
  ]);
  const placedIds = new Set(placed.map((order) => order.orderId));
  const documents = allDocuments.filter((record) => !baseline.documents.has(record.RECORDNO!));
  const payments = allPayments.filter((record) => !baseline.payments.has(record.RECORDNO!));
  const byKey = <T>(records: T[], key: (record: T) => string) => {
    const map = new Map<string, T[]>();
    for (const record of records) map.set(key(record), [...(map.get(key(record)) ?? []), record]);
    return map;
  };
  const documentsByOrder = byKey(documents, (record) => record.PONUMBER ?? '');
  // A payment captured after posting is referenced `{order}-{transaction}`.
  const paymentsByOrder = byKey(payments, (record) => orderOfPayment(record.DOCNUMBER, placedIds) ?? record.DOCNUMBER ?? '');
  const linesByDocument = byKey(documentLines, (record) => record.DOCHDRID ?? '');
  const taxesByLine = byKey(documentLineTaxes, (record) => `${record.DOCHDRID ?? ''}/${record.LINE_NO ?? ''}`);
  const taxesByDocument = byKey(documentLineTaxes, (record) => record.DOCHDRID ?? '');
  const fidelity: ChaosVerification['fidelity'] = {
    taxedOrders: 0,
    vatInclusive: 0,
    giftWrapped: 0,
    shippedToSeveralAddresses: 0,
    byEntity: {},
    editsParked: 0,
  };
  const intacctRequests = ((await storefronts.intacctControl('GET', '/requests')).body as { requests: LoggedIntacctRequest[] }).requests;
  const tenantIds = stack.tenants.map((tenant) => tenant.tenantId);
  const ledger = await stack.db
    .collection<{ tenantId: string; entity: string; externalId: string; state: string; intacctDocumentId?: string }>('sync_ledger')
    .find({ tenantId: { $in: tenantIds }, entity: 'order' })
    .toArray();
  const ledgerByOrder = new Map(ledger.map((entry) => [`${entry.tenantId}/${entry.externalId}`, entry]));
  const attention = await stack.db
    .collection<AttentionRecord & { tenantId: string; entity: string; externalId: string; fix?: string }>('attention_queue')
    .find({ tenantId: { $in: tenantIds } })
    .toArray();
  const attentionByOrder = new Map(
    attention.filter((item) => item.entity === 'order').map((item) => [`${item.tenantId}/${item.externalId}`, item]),
  );

  const outcomes: Record<string, number> = {};
  /** Orders whose workflow ran again after it had closed (a late webhook about a cancelled order): allowed, as long as the run wrote nothing. */
  const rerun: string[] = [];
  const placedKeys = new Set<string>();
  for (const order of placed) {
    placedKeys.add(order.orderId);
    const workflowId = orderToCashWorkflowId(order.tenantId, order.orderId);
    const workflow = workflows.get(workflowId);
    const store = order.storefront === 'bigcommerce' ? bigCommerceOrders.get(order.orderId) : clarityOrders.get(order.orderId);
    if (!store) {
      flag(order, 'the store no longer has the order');
      continue;
    }
    const view = storeView(order.storefront, store);
    const orderDocumentsAndInvoices = documentsByOrder.get(order.orderId) ?? [];
    // Each shipment converts part of the sales order into an invoice of its own.
    const invoices = orderDocumentsAndInvoices.filter((record) => record.DOCPARID === 'Sales Invoice');
    const orderDocuments = orderDocumentsAndInvoices.filter((record) => record.DOCPARID !== 'Sales Invoice');
    const orderPayments = paymentsByOrder.get(order.orderId) ?? [];
    const livePayments = orderPayments.filter((payment) => payment.STATE !== 'Reversed');
    const ledgerEntry = ledgerByOrder.get(`${order.tenantId}/${order.orderId}`);
    const item = attentionByOrder.get(`${order.tenantId}/${order.orderId}`);

    let outcome: string;
    if (!workflow) outcome = 'lost (no workflow)';
    else if (workflow.status !== 'RUNNING' && workflow.status !== 'COMPLETED') outcome = `workflow ${workflow.status.toLowerCase()}`;
    else outcome = workflow.syncState ?? 'unknown';
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    if (!workflow) flag(order, 'no OrderToCash workflow: the order was lost');
    else if (workflow.runs > 1) rerun.push(order.orderId);

    // An edit that re-taxes a line taxed per line parks on purpose: checked below, with the order before the edit.
    if (outcome === 'parked' && !(order.beforeEdit !== undefined && item?.code === editChangesLineTax)) {
      if (!item || item.state !== 'open' || !item.code || !item.reason)
        flag(order, `parked without an open attention item with a code and reason (${JSON.stringify(item ?? null)})`);
      else flag(order, `parked: ${item.code}: ${item.reason}`);
    }

    if (view.cancelled) {
      if (orderDocumentsAndInvoices.length !== 0)
        flag(
          order,
          `cancelled in the store but ${orderDocumentsAndInvoices.length} Intacct documents remain (${orderDocumentsAndInvoices.map((document) => document.DOCID).join(', ')})`,
        );
      if (livePayments.length !== 0) flag(order, `cancelled in the store but ${livePayments.length} payments are not reversed`);
      if (workflow && (workflow.status !== 'COMPLETED' || workflow.syncState !== 'cancelled'))
        flag(order, `cancelled in the store; workflow ${workflow.status}, SyncState ${workflow.syncState}`);
      if (ledgerEntry && ledgerEntry.state !== 'cancelled') flag(order, `cancelled in the store; ledger says ${ledgerEntry.state}`);
      continue;
    }

    if (orderDocuments.length !== 1) {
      flag(order, `${orderDocuments.length} Intacct documents (${orderDocuments.map((document) => document.DOCID).join(', ')})`);
      if (orderDocuments.length === 0) continue;
    }
    const document = orderDocuments[0]!;
    const afterPosting = await storeAfterPosting(storefronts, order, view);
    const { beforeEdit } = order;
    // An edit Intacct cannot follow (it re-taxes a line taxed per line) parks, and the sales
    // order must still be the order as the store had it before the edit.
    const editParked =
      beforeEdit !== undefined &&
      afterPosting.lines !== undefined &&
      expectedEditOutcome(beforeEdit.lines, afterPosting.lines, mix === 'fidelity') === 'parked';
    const booked = editParked
      ? {
          totalCents: beforeEdit.totalCents,
          lines: beforeEdit.lines,
          charges: { ...view.charges, taxCents: beforeEdit.taxCents, wrappingCents: beforeEdit.wrappingCents },
          what: 'pre-edit ',
        }
      : {
          totalCents: cents(view.total),
          lines: afterPosting.lines,
          charges: view.charges,
          what: order.afterPosting.edits ? 'edited ' : '',
        };
    if (cents(document.TOTAL) !== booked.totalCents)
      flag(
        order,
        `document ${document.DOCID} totals ${document.TOTAL}, the store ${editParked ? `${money(booked.totalCents)} before the edit` : view.total}`,
      );
    if (view.currency !== 'USD' && document.CURRENCY !== view.currency)
      flag(order, `document in ${document.CURRENCY}, the order in ${view.currency}`);
    const paidCents = livePayments.reduce((sum, payment) => sum + cents(payment.TOTALENTERED), 0);
    const captured = afterPosting.captured ?? { cents: view.paid ? cents(view.total) : 0, count: view.paid ? 1 : 0 };
    // One payment per purchase or capture, and together exactly what the store's gateway took.
    if (livePayments.length !== captured.count)
      flag(
        order,
        `the store took ${captured.count} payments (${money(captured.cents)}); Intacct holds ${livePayments.length} live payments`,
      );
    else if (paidCents !== captured.cents)
      flag(
        order,
        `the store captured ${money(captured.cents)}; Intacct's payments (${livePayments.map((payment) => payment.RECORDNO).join(', ')}) total ${money(paidCents)}`,
      );
    const invoicedCents = invoices.reduce((sum, invoice) => sum + cents(invoice.TOTAL), 0);
    if (editParked) {
      // Parked before anything shipped: nothing is invoiced until a person settles the edit.
      if (invoices.length !== 0)
        flag(order, `parked as ${editChangesLineTax}, yet invoiced: ${invoices.map((invoice) => invoice.DOCID).join(', ')}`);
    } else if (invoices.length !== afterPosting.shipments)
      flag(
        order,
        `${afterPosting.shipments} shipments in the store; ${invoices.length} Intacct invoices (${invoices.map((invoice) => invoice.DOCID).join(', ')})`,
      );
    if (invoicedCents > cents(view.total)) flag(order, `invoiced ${money(invoicedCents)}, more than the order's ${view.total}`);
    if (!editParked && afterPosting.shippedCents !== undefined && invoicedCents !== afterPosting.shippedCents)
      flag(order, `the store shipped ${money(afterPosting.shippedCents)}; Intacct invoiced ${money(invoicedCents)}`);
    const entries = (linesByDocument.get(document.DOCID!) ?? []).sort((a, b) => Number(a.LINE_NO) - Number(b.LINE_NO));
    if (booked.lines !== undefined) {
      const held = entries.map((entry): DocumentLine => ({ quantity: Number(entry.QUANTITY), price: Number(entry.PRICE) }));
      const differences = lineDifferences(booked.lines, held);
      if (differences.length > 0)
        flag(order, `sales order ${document.DOCID} does not match the store's ${booked.what}lines: ${differences.join('; ')}`);
    }
    if (mix === 'fidelity' && booked.lines !== undefined && booked.charges !== undefined) {
      const store = { lines: booked.lines, ...booked.charges };
      const held = entries.map((entry): FidelityDocumentLine => {
        const taxes = taxesByLine.get(`${document.DOCID!}/${entry.LINE_NO ?? ''}`) ?? [];
        return {
          itemId: entry.ITEMID ?? '',
          quantity: Number(entry.QUANTITY),
          totalCents: cents(entry.TOTAL),
          taxDetails: taxes.map((tax) => tax.DETAILID ?? ''),
          taxCents: taxes.reduce((sum, tax) => sum + cents(tax.TRX_TAX), 0),
          ...(entry['SHIPTO.CONTACTNAME'] !== undefined && {
            shipTo: {
              contactName: entry['SHIPTO.CONTACTNAME'],
              city: entry['SHIPTO.MAILADDRESS.CITY'] ?? '',
              zip: entry['SHIPTO.MAILADDRESS.ZIP'] ?? '',
            },
          }),
        };
      });
      const differences = [
        ...fidelityDifferences(store, held, fidelitySetup),
        ...lineShipToDifferences({ lines: store.lines, shipTos: afterPosting.lineShipTos }, held),
        ...entityDifferences(
          store,
          [
            { what: `sales order ${document.DOCID}`, entity: document.MEGAENTITYID },
            ...invoices.map((invoice) => ({ what: `invoice ${invoice.DOCID}`, entity: invoice.MEGAENTITYID })),
            ...orderPayments.map((payment) => ({ what: `payment ${payment.RECORDNO}`, entity: payment.MEGAENTITYID })),
          ],
          fidelitySetup,
        ),
        ...invoiceTaxDifferences(
          { taxCents: store.taxCents, allShipped: store.lines.every((line) => line.shipped === line.quantity) },
          invoices.map((invoice) => ({
            documentId: invoice.DOCID!,
            taxCents: (taxesByDocument.get(invoice.DOCID!) ?? []).reduce((sum, tax) => sum + cents(tax.TRX_TAX), 0),
          })),
        ),
      ];
      if (differences.length > 0)
        flag(
          order,
          `sales order ${document.DOCID} is not the store's ${editParked ? 'order before the edit' : 'order'}: ${differences.join('; ')}`,
        );
      if (store.taxCents > 0) fidelity.taxedOrders += 1;
      if (store.pricesIncludeVat === true) fidelity.vatInclusive += 1;
      if (store.wrappingCents > 0) fidelity.giftWrapped += 1;
      if (afterPosting.lineShipTos !== undefined) fidelity.shippedToSeveralAddresses += 1;
      const entity = document.MEGAENTITYID || 'top level';
      fidelity.byEntity[entity] = (fidelity.byEntity[entity] ?? 0) + 1;
    }
    const syncState = editParked ? 'parked' : 'synced';
    if (!view.writtenBack(document.DOCID!, editParked ? `needs attention: ${editChangesLineTax}` : 'synced'))
      flag(order, `the store does not show ${document.DOCID} as ${editParked ? 'needing attention' : 'synced'} (${view.writeBack})`);
    if (workflow) {
      if (workflow.syncState !== syncState) flag(order, `SyncState ${workflow.syncState}`);
      if (workflow.intacctDocument !== document.DOCID)
        flag(order, `IntacctDocument search attribute ${workflow.intacctDocument}, Intacct ${document.DOCID}`);
    }
    if (!ledgerEntry || ledgerEntry.state !== syncState || ledgerEntry.intacctDocumentId !== document.DOCID)
      flag(
        order,
        `ledger entry ${JSON.stringify(ledgerEntry ? { state: ledgerEntry.state, intacctDocumentId: ledgerEntry.intacctDocumentId } : null)}`,
      );
    if (editParked && beforeEdit !== undefined && afterPosting.lines !== undefined) {
      for (const difference of parkedEditDifferences(item, beforeEdit.lines, afterPosting.lines)) flag(order, difference);
      const updates = editUpdatesSent(intacctRequests, order.tenantId, order.orderId);
      if (updates > 0) flag(order, `parked as ${editChangesLineTax}, yet ${updates} sales order updates were sent for its edit`);
      fidelity.editsParked += 1;
    } else if (item && item.state === 'open') flag(order, `synced, but its attention item is still open (${item.code})`);
  }

  for (const [orderId, records] of documentsByOrder)
    if (!placedKeys.has(orderId))
      violations.push(
        `Intacct documents for an order the run did not place (${orderId}): ${records.map((record) => record.DOCID).join(', ')}`,
      );
  for (const [orderId, records] of paymentsByOrder)
    if (!placedKeys.has(orderId)) violations.push(`Intacct payments for an order the run did not place (${orderId}): ${records.length}`);
  for (const workflowId of workflows.keys()) {
    const parsed = parseOrderToCashWorkflowId(workflowId);
    if (parsed && !placedKeys.has(parsed.orderId)) violations.push(`a workflow for an order the run did not place: ${workflowId}`);
  }
  for (const item of attention)
    if (!item.code || !item.reason) violations.push(`attention item without a reason: ${item.entity} ${item.externalId}`);

  const bigCommerce = webhookFigures(
    'bigcommerce',
    (await storefronts.bigCommerce('GET', '/_control/webhooks')).body.deliveries as BigCommerceDelivery[],
  );
  const clarity = webhookFigures('clarity', (await storefronts.clarity('GET', '/webhook-deliveries')).body.data as ClarityDelivery[]);
  for (const [name, figures] of Object.entries({ bigcommerce: bigCommerce, clarity })) {
    if (figures.eventsNeverDelivered > 0) violations.push(`${figures.eventsNeverDelivered} ${name} webhook events were never delivered`);
  }
  const subscriptions = await storefronts.webhookSubscriptions();
  if (subscriptions.inactive.length > 0)
    violations.push(
      `the storefronts gave up on the product's webhook endpoint and deactivated, and the product did not repair: ${subscriptions.inactive.join(', ')}`,
    );
  const receivedByProduct = await stack.db.collection('webhook_deliveries').countDocuments({ tenantId: { $in: tenantIds } });

  const spent = Object.entries(tally.byFunction).filter(([name]) => name !== 'getAPISession');
  const perOrder = (count: number) => (placed.length === 0 ? 0 : Math.round((count / placed.length) * 100) / 100);
  return {
    outcomes,
    workflowsRunAgainAfterClosing: rerun.length,
    webhooks: { bigcommerce: bigCommerce, clarity, receivedByProduct, reactivatedBySweep: subscriptions.reactivated },
    intacct: {
      documentsCreated: documents.length,
      paymentsCreated: payments.length,
      paymentsReversed: payments.filter((payment) => payment.STATE === 'Reversed').length,
      requests: tally.requests,
      requestsPerOrder: perOrder(tally.requests),
      requestsPerOrderByFunction: Object.fromEntries(spent.map(([name, count]) => [name, perOrder(count)])),
    },
    fidelity,
    attention: {
      open: attention.filter((item) => item.state === 'open').length,
      resolved: attention.filter((item) => item.state === 'resolved').length,
      codes: attention.reduce<Record<string, number>>(
        (codes, item) => ({ ...codes, [item.code ?? '(none)']: (codes[item.code ?? '(none)'] ?? 0) + 1 }),
        {},
      ),
    },
    violations,
  };
}

const money = (amount: number) => (amount / 100).toFixed(2);

/** What the store says of the order after posting: its shipments, what they carried, what its gateway captured, its lines. */
interface StoreAfterPosting {
  shipments: number;
  /** What the invoices must sum to; undefined when the store's lines cannot say it exactly (a Clarity order shipped in part). */
  shippedCents: number | undefined;
  /** What the gateway took (BigCommerce's transactions); undefined where the store only says paid or not (Clarity). */
  captured?: { cents: number; count: number };
  /** The store's lines, which the sales order's product lines follow (BigCommerce). */
  lines?: StoreOrderBeforeEdit['lines'];
  /** Where each of those lines ships, when the order ships to several addresses (BigCommerce consignments). */
  lineShipTos?: StoreLineShipTo[];
}

async function storeAfterPosting(storefronts: Storefronts, order: PlacedOrder, view: StoreView): Promise<StoreAfterPosting> {
  if (order.storefront === 'bigcommerce') {
    const [products, shipments, transactions, addresses] = await Promise.all([
      storefronts.bigCommerce('GET', `/v2/orders/${order.orderId}/products`),
      storefronts.bigCommerce('GET', `/v2/orders/${order.orderId}/shipments`),
      storefronts.bigCommerce('GET', `/v3/orders/${order.orderId}/transactions`),
      storefronts.bigCommerce('GET', `/v2/orders/${order.orderId}/shipping_addresses`),
    ]);
    const storeProducts = products.body as Parameters<typeof editedStoreLines>[0];
    const lines = editedStoreLines(storeProducts);
    const consignments = addresses.body as Array<{ id: number; city: string; zip: string }>;
    const lineShipTos =
      consignments.length < 2
        ? undefined
        : storeProducts.map((product): StoreLineShipTo => {
            const consignment = consignments.findIndex((address) => address.id === product.order_address_id);
            return { consignment: consignment + 1, city: consignments[consignment]?.city ?? '', zip: consignments[consignment]?.zip ?? '' };
          });
    return {
      ...(lineShipTos !== undefined && { lineShipTos }),
      shipments: Array.isArray(shipments.body) ? shipments.body.length : 0,
      shippedCents: shippedAmountCents(cents(view.total), lines),
      // An order without transactions (placed pending) answers 204.
      captured: capturedCents((transactions.body as { data?: StoreTransaction[] } | undefined)?.data ?? []),
      lines,
    };
  }
  const shipments = await storefronts.clarityShipments(order.orderId);
  const ordered = view.lines.reduce((sum, line) => sum + line.quantity, 0);
  const shipped = shipments.flatMap((shipment) => shipment.lineItems).reduce((sum, line) => sum + line.quantity, 0);
  return {
    shipments: shipments.length,
    shippedCents: shipped === 0 ? 0 : shipped >= ordered ? cents(view.total) : undefined,
  };
}

interface StoreView {
  cancelled: boolean;
  paid: boolean;
  total: string;
  currency: string;
  writeBack: string;
  /** Whether the store shows the document in this state (BigCommerce's staff note; Clarity's reference names only the document). */
  writtenBack(documentId: string, state: string): boolean;
  /** Clarity's lines (BigCommerce's are read on their own). */
  lines: Array<{ quantity: number }>;
  /** The order's whole tax and its gift wrapping, in cents, and whether its prices include VAT (BigCommerce, whose tenant posts tax per line). */
  charges?: { taxCents: number; wrappingCents: number; pricesIncludeVat: boolean };
}

function storeView(storefront: StorefrontKind, order: BigCommerceOrderView | ClarityOrderView): StoreView {
  if (storefront === 'bigcommerce') {
    const bc = order as BigCommerceOrderView;
    return {
      cancelled: bc.status_id === 5,
      paid: bc.payment_status === 'captured',
      total: bc.total_inc_tax,
      currency: bc.currency_code ?? 'USD',
      writeBack: `staff notes ${JSON.stringify(bc.staff_notes)}`,
      writtenBack: (documentId, state) => bc.staff_notes.includes(`[Intacct] ${documentId} · ${state}`),
      lines: [],
      charges: {
        taxCents: cents(bc.total_tax),
        wrappingCents: cents(bc.wrapping_cost_ex_tax ?? '0'),
        pricesIncludeVat: bc.is_tax_inclusive_pricing === true,
      },
    };
  }
  const cl = order as ClarityOrderView;
  return {
    cancelled: cl.status === 'cancelled',
    paid: cl.paymentInfo.status === 'captured',
    total: cl.totalAmount,
    currency: cl.currency,
    writeBack: `erpReference ${JSON.stringify(cl.erpReference)}`,
    writtenBack: (documentId) => cl.erpReference === documentId,
    lines: cl.lineItems,
  };
}

interface Attempt {
  at: string;
  status?: number | undefined;
}
interface BigCommerceDelivery {
  hash: string;
  scope: string;
  state: string;
  data?: { id?: number };
  attempts: Attempt[];
}
interface ClarityDelivery {
  eventId: string;
  eventType: string;
  body: string;
  state: string;
  attempts: Attempt[];
}

function webhookFigures(storefront: StorefrontKind, deliveries: Array<BigCommerceDelivery | ClarityDelivery>): WebhookFigures {
  const rows = deliveries.map((delivery) => {
    if (storefront === 'bigcommerce') {
      const bc = delivery as BigCommerceDelivery;
      return { event: bc.hash, subject: String(bc.data?.id ?? ''), state: bc.state, attempts: bc.attempts };
    }
    const cl = delivery as ClarityDelivery;
    const data = (JSON.parse(cl.body) as { data?: { orderId?: string; sku?: string } }).data;
    return { event: cl.eventId, subject: data?.orderId ?? data?.sku ?? '', state: cl.state, attempts: cl.attempts };
  });
  const attemptsByStatus: Record<string, number> = {};
  const events = new Map<string, { subject: string; delivered: number; firstArrival: number | undefined; order: number }>();
  for (const row of rows) {
    for (const attempt of row.attempts)
      attemptsByStatus[String(attempt.status ?? 'no answer')] = (attemptsByStatus[String(attempt.status ?? 'no answer')] ?? 0) + 1;
    const event = events.get(row.event) ?? { subject: row.subject, delivered: 0, firstArrival: undefined, order: events.size };
    const success = row.attempts.find((attempt) => attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300);
    if (success) {
      event.delivered += 1;
      const at = Date.parse(success.at);
      event.firstArrival = event.firstArrival === undefined ? at : Math.min(event.firstArrival, at);
    }
    events.set(row.event, event);
  }
  const bySubject = new Map<string, Array<{ order: number; firstArrival: number | undefined }>>();
  for (const event of events.values()) bySubject.set(event.subject, [...(bySubject.get(event.subject) ?? []), event]);
  let outOfOrder = 0;
  for (const subjectEvents of bySubject.values()) {
    const arrivals = subjectEvents.sort((a, b) => a.order - b.order).map((event) => event.firstArrival ?? Number.POSITIVE_INFINITY);
    if (arrivals.some((arrival, index) => index > 0 && arrival < arrivals[index - 1]!)) outOfOrder += 1;
  }
  return {
    events: events.size,
    deliveries: rows.length,
    attempts: rows.reduce((sum, row) => sum + row.attempts.length, 0),
    attemptsByStatus,
    eventsNeverDelivered: [...events.values()].filter((event) => event.delivered === 0).length,
    eventsDeliveredAtLeast3Times: [...events.values()].filter((event) => event.delivered >= 3).length,
    ordersWithEventsOutOfOrder: outOfOrder,
  };
}
