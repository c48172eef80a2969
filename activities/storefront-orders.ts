import { createHash } from 'node:crypto';
import { activityInfo } from '@temporalio/activity';
import type { ApplicationFailure } from '@temporalio/common';
import { BigCommerceInputError, type BigCommerceClient } from '../connectors/bigcommerce/index.js';
import { ClarityInputError, type ClarityClient } from '../connectors/clarity/index.js';
import { readConvertedDocuments, readConvertedLines, readSourceLines, type IntacctClient } from '../connectors/intacct/index.js';
import type { CanonicalOrder } from '../mappers/canonical-order.js';
import { fromBigCommerceOrder } from '../mappers/from-bigcommerce-order.js';
import { fromClarityOrder } from '../mappers/from-clarity-order.js';
import { OrderMappingError } from '../mappers/order-mapping-error.js';
import {
  fromBigCommerceOrderHeader,
  fromClarityOrderHeader,
  isSameOrderVersion,
  stampAfterOwnWrite,
  type StorefrontOrderStamp,
} from '../decisions/storefront-order-stamp.js';
import { isoTimestamp } from '../mappers/iso-timestamp.js';
import {
  fromBigCommerceShipment,
  fromClarityShipment,
  fromIntacctFulfilmentDocument,
  hasTrackingNumber,
  normaliseTrackingNumber,
  shipmentsMissingFromStorefront,
} from '../mappers/shipment-records.js';
import {
  bigCommerceOrderLines,
  bigCommerceShipmentLines,
  clarityOrderLines,
  clarityShipmentLines,
  fromIntacctFulfilmentLines,
  isFulfilled,
  shipmentClarityLines,
  shipmentItems,
} from '../mappers/shipment-lines.js';
import { clarityErpReference, intacctMarkerLine, withIntacctMarker } from '../mappers/sync-state-write-back.js';
import { bigCommerceShippingProvider, unshippedBigCommerceItems, unshippedClarityLines } from '../mappers/to-storefront-shipment.js';
import { recordLedgerEntry } from '../store/ledger.js';
import { orderToCashFailures } from '../workflows/order-to-cash-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import { flowFailure } from './flow-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import type {
  DetectStorefrontOrderChangeInput,
  FetchedStorefrontOrder,
  OrderLine,
  OrderToCashActivities,
  ShipmentRecord,
  ShipmentStatus,
  StorefrontOrderChange,
  WriteBackInput,
  WriteBackResult,
} from '../workflows/order-to-cash-contract.js';
import type { OrderRef } from '../workflows/shared-contract.js';
import type { StorefrontConnection, TenantConnection } from './tenant-connections.js';

/** The storefront half of OrderToCash's activities. */
export type StorefrontOrderActivities = Pick<
  OrderToCashActivities,
  'fetchStorefrontOrder' | 'writeBackToStorefront' | 'readShipmentStatus' | 'syncShipmentToStorefront' | 'detectStorefrontOrderChange'
>;

function orderNotFound(ref: OrderRef, reason: string, cause?: unknown): ApplicationFailure {
  return flowFailure(
    orderToCashFailures,
    'OrderNotFound',
    `${ref.storefront} order ${ref.orderId} of tenant ${ref.tenantId} ${reason}`,
    cause instanceof Error ? { cause } : {},
  );
}

function isNotFound(error: unknown): boolean {
  return (error instanceof BigCommerceInputError || error instanceof ClarityInputError) && error.status === 404;
}

/** Runs storefront calls about one order; a 404 from any of them means the order is not there. */
async function aboutOrder<T>(ref: OrderRef, calls: () => Promise<T>): Promise<T> {
  try {
    return await calls();
  } catch (error) {
    if (isNotFound(error)) throw orderNotFound(ref, 'does not exist on the storefront', error);
    throw error;
  }
}

/**
 * Like `Promise.all`, but waits for every call to finish before failing with the first
 * failure (in argument order), so no request of a failed attempt is still queued or in flight
 * when the activity has already ended.
 */
async function settleAll<T extends readonly unknown[]>(calls: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(calls);
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** BigCommerce order ids are positive integers; anything else cannot name an order there. */
function bigCommerceOrderId(ref: OrderRef): number {
  const id = ref.orderId.trim();
  if (!/^[1-9]\d{0,14}$/.test(id)) throw orderNotFound(ref, 'is not a BigCommerce order id (a positive whole number)');
  return Number(id);
}

function mapOrder(map: () => CanonicalOrder): CanonicalOrder {
  try {
    return map();
  } catch (error) {
    if (!(error instanceof OrderMappingError)) throw error;
    throw flowFailure(orderToCashFailures, 'OrderMappingError', error.message, {
      details: { storefront: error.storefront, orderId: error.orderId, problems: error.problems.map((problem) => ({ ...problem })) },
    });
  }
}

/** A storefront idempotency key from stable ids: visible ASCII, bounded, the same on every retry. */
function idempotencyKey(kind: string, ...parts: readonly string[]): string {
  return `${kind}-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40)}`;
}

async function storefrontOf(connection: TenantConnection, ref: OrderRef): Promise<StorefrontConnection> {
  const storefront = await connection.storefront();
  if (storefront.kind !== ref.storefront) {
    throw flowFailure(
      orderToCashFailures,
      'StorefrontMismatch',
      `tenant ${ref.tenantId} is connected to ${storefront.kind}, but the order reference names ${ref.storefront} order ${ref.orderId}`,
    );
  }
  return storefront;
}

/** The storefront's shipments with what each carries by order line, the order's lines, and whether it is fully shipped. */
async function readStorefrontShipments(
  storefront: StorefrontConnection,
  ref: OrderRef,
): Promise<Pick<ShipmentStatus, 'storefrontShipments' | 'orderLines' | 'fulfilled'>> {
  if (storefront.kind === 'bigcommerce') {
    const id = bigCommerceOrderId(ref);
    const [shipments, products] = await aboutOrder(ref, () =>
      settleAll([storefront.client.orders.listShipments(id), storefront.client.orders.listOrderProducts(id)] as const),
    );
    const orderLines = bigCommerceOrderLines(products);
    const carried = shipments.map((shipment) => bigCommerceShipmentLines(shipment, orderLines));
    return {
      storefrontShipments: shipments.map((shipment, index) => ({
        ...fromBigCommerceShipment(shipment),
        shipmentId: String(shipment.id),
        lines: carried[index]!,
      })),
      orderLines: orderLines.map(({ lineId, quantity, notShipping }) => ({
        lineId,
        quantity,
        ...(notShipping > 0 && { refunded: notShipping }),
      })),
      fulfilled: isFulfilled(orderLines, carried),
    };
  }
  const [order, shipments] = await aboutOrder(ref, () =>
    settleAll([storefront.client.getOrder(ref.orderId), storefront.client.listShipments(ref.orderId)] as const),
  );
  const orderLines = clarityOrderLines(order);
  const carried = clarityShipmentLines(order, shipments);
  return {
    storefrontShipments: shipments.map((shipment, index) => ({
      ...fromClarityShipment(shipment),
      shipmentId: shipment.shipmentId,
      lines: carried[index]!,
    })),
    orderLines: orderLines.map(({ lineId, quantity }) => ({ lineId, quantity })),
    fulfilled: isFulfilled(orderLines, carried),
  };
}

/** The header's stamp dates the order on the safe side: a change while the other parts are read leaves the stamp behind the content, so the next look fetches again. */
function withStamp(order: CanonicalOrder, storefrontStamp: StorefrontOrderStamp | undefined): FetchedStorefrontOrder {
  return storefrontStamp === undefined ? order : { ...order, storefrontStamp };
}

async function fetchBigCommerceOrder(client: BigCommerceClient, ref: OrderRef): Promise<FetchedStorefrontOrder> {
  const id = bigCommerceOrderId(ref);
  // Independent reads; the store's request limiter keeps them inside its quota.
  const [order, products, shippingAddresses, coupons, transactions, taxes] = await aboutOrder(ref, () =>
    settleAll([
      client.orders.getOrder(id),
      client.orders.listOrderProducts(id),
      client.orders.listShippingAddresses(id),
      client.orders.listCoupons(id),
      client.payments.listTransactions(id),
      // Each line's tax by rate, as the store computed it: what per-line and per-jurisdiction tax posting need.
      client.orders.listTaxes(id),
    ] as const),
  );
  return withStamp(
    mapOrder(() => fromBigCommerceOrder({ order, products, shippingAddresses, coupons, transactions, taxes })),
    fromBigCommerceOrderHeader(order),
  );
}

async function fetchClarityOrder(client: ClarityClient, ref: OrderRef): Promise<FetchedStorefrontOrder> {
  const order = await aboutOrder(ref, () => client.getOrder(ref.orderId));
  return withStamp(
    mapOrder(() => fromClarityOrder(order)),
    fromClarityOrderHeader(order),
  );
}

/** The stamp the storefront has for the order now: one request, the header alone. */
async function readOrderStamp(storefront: StorefrontConnection, ref: OrderRef): Promise<StorefrontOrderStamp | undefined> {
  if (storefront.kind === 'bigcommerce') {
    const id = bigCommerceOrderId(ref);
    return fromBigCommerceOrderHeader(await aboutOrder(ref, () => storefront.client.orders.getOrder(id)));
  }
  return fromClarityOrderHeader(await aboutOrder(ref, () => storefront.client.getOrder(ref.orderId)));
}

/**
 * BigCommerce keeps the state as one marker line in the staff notes; the PUT is skipped when the
 * line is already there. Answers the stamp to remember (see `stampAfterOwnWrite`): the PUT's
 * answer is the order after the write, so the store's echo of it can be recognised.
 */
async function writeBackToBigCommerce(client: BigCommerceClient, input: WriteBackInput): Promise<StorefrontOrderStamp | undefined> {
  const id = bigCommerceOrderId(input);
  return aboutOrder(input, async () => {
    const before = await client.orders.getOrder(id);
    const notes = withIntacctMarker(before.staff_notes, intacctMarkerLine(input));
    const after = notes === before.staff_notes ? before : await client.orders.updateStaffNotes(id, notes);
    return stampAfterOwnWrite(input.storefrontStamp, fromBigCommerceOrderHeader(before), fromBigCommerceOrderHeader(after));
  });
}

/** Clarity has `erpReference` only: the document id once synced, cleared on cancellation, untouched otherwise. */
async function writeBackToClarity(client: ClarityClient, input: WriteBackInput): Promise<StorefrontOrderStamp | undefined> {
  const decision = clarityErpReference(input);
  // Nothing written: the version the workflow acted on is still the last the product knows of.
  if (!decision.change) return input.storefrontStamp;
  return aboutOrder(input, async () => {
    const before = await client.getOrder(input.orderId);
    let after = before;
    if (before.erpReference !== decision.erpReference) {
      const key = idempotencyKey('erp-reference', input.tenantId, input.orderId, input.state, decision.erpReference ?? '');
      after = await client.setOrderErpReference(input.orderId, decision.erpReference, { idempotencyKey: key });
    }
    return stampAfterOwnWrite(input.storefrontStamp, fromClarityOrderHeader(before), fromClarityOrderHeader(after));
  });
}

/**
 * Intacct's shipments to sync, each with the order lines and units it carries, read from its
 * lines' source lines (one query per shipment and one for the sales order, only when there is a
 * shipment to sync), so each goes to the store with its own quantities.
 */
async function withIntacctLines(
  intacct: IntacctClient,
  salesDocumentId: string,
  orderLines: OrderLine[],
  missing: { record: ShipmentRecord; documentId: string }[],
): Promise<ShipmentRecord[]> {
  if (missing.length === 0) return [];
  const salesOrderLines = await readSourceLines(intacct, salesDocumentId);
  const shipments: ShipmentRecord[] = [];
  for (const { record, documentId } of missing) {
    const lines = fromIntacctFulfilmentLines(salesOrderLines, orderLines, await readConvertedLines(intacct, documentId));
    shipments.push(lines.length > 0 ? { ...record, lines } : record);
  }
  return shipments;
}

function notAddable(ref: OrderRef, reason: string): ApplicationFailure {
  return flowFailure(
    orderToCashFailures,
    'ShipmentNotAddable',
    `cannot add a shipment to ${ref.storefront} order ${ref.orderId}: ${reason}`,
  );
}

async function addBigCommerceShipment(
  client: BigCommerceClient,
  ref: OrderRef,
  shipment: ShipmentRecord,
  trackingNumber: string,
): Promise<{ added: boolean }> {
  const id = bigCommerceOrderId(ref);
  return aboutOrder(ref, async () => {
    const [shipments, products] = await settleAll([client.orders.listShipments(id), client.orders.listOrderProducts(id)] as const);
    // BigCommerce has no idempotency header: reading first is what keeps a retried add single.
    if (hasTrackingNumber(shipments.map(fromBigCommerceShipment), trackingNumber)) return { added: false };
    const open = shipmentItems(unshippedBigCommerceItems(products), shipment.lines);
    if (open === undefined)
      throw notAddable(ref, `every item it carries has shipped already, so tracking number ${trackingNumber} has no items to carry`);
    const carrier = shipment.carrier?.trim() ?? '';
    await client.orders.createShipment(id, {
      order_address_id: open.orderAddressId,
      items: open.items,
      tracking_number: trackingNumber,
      shipping_provider: bigCommerceShippingProvider(carrier),
      ...(carrier !== '' && { shipping_method: carrier }),
    });
    return { added: true };
  });
}

async function addClarityShipment(
  client: ClarityClient,
  ref: OrderRef,
  shipment: ShipmentRecord,
  trackingNumber: string,
): Promise<{ added: boolean }> {
  return aboutOrder(ref, async () => {
    const [order, shipments] = await settleAll([client.getOrder(ref.orderId), client.listShipments(ref.orderId)] as const);
    if (hasTrackingNumber(shipments.map(fromClarityShipment), trackingNumber)) return { added: false };
    const lineItems = shipmentClarityLines(unshippedClarityLines(order, shipments), order, shipment.lines);
    if (lineItems.length === 0)
      throw notAddable(ref, `every line it carries has shipped already, so tracking number ${trackingNumber} has no items to carry`);
    const tracking = normaliseTrackingNumber(trackingNumber);
    // Stable across retries, so a replay under the same key carries the same body.
    const shippedAt =
      isoTimestamp(shipment.shippedAt) ??
      new Date(Math.floor(activityInfo().scheduledTimestampMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    await client.createShipment(
      ref.orderId,
      {
        shipmentId: idempotencyKey('intacct', ref.tenantId, ref.orderId, tracking).slice(0, 64),
        carrier: shipment.carrier?.trim() || 'Other',
        trackingNumber,
        shippedAt,
        lineItems,
      },
      { idempotencyKey: idempotencyKey('shipment', ref.tenantId, ref.orderId, tracking) },
    );
    return { added: true };
  });
}

/**
 * OrderToCash's storefront activities: read the full order, write the Intacct document and
 * sync state back, compare shipments on both sides, and add Intacct's shipments to the store.
 * Every write reads first and is skipped when the storefront already holds the result.
 */
export function createStorefrontOrderActivities(deps: ActivityDependencies): StorefrontOrderActivities {
  return {
    fetchStorefrontOrder: withConnectorFailures(async (ref: OrderRef): Promise<FetchedStorefrontOrder> => {
      const storefront = await storefrontOf(await deps.connections.forTenant(ref.tenantId), ref);
      return storefront.kind === 'bigcommerce' ? fetchBigCommerceOrder(storefront.client, ref) : fetchClarityOrder(storefront.client, ref);
    }),

    detectStorefrontOrderChange: withConnectorFailures(async (input: DetectStorefrontOrderChangeInput): Promise<StorefrontOrderChange> => {
      const storefront = await storefrontOf(await deps.connections.forTenant(input.tenantId), input);
      const current = await readOrderStamp(storefront, input);
      return { changed: !isSameOrderVersion(input.lastSeenStamp, current), ...(current !== undefined && { storefrontStamp: current }) };
    }),

    writeBackToStorefront: withConnectorFailures(async (input: WriteBackInput): Promise<WriteBackResult> => {
      const storefront = await storefrontOf(await deps.connections.forTenant(input.tenantId), input);
      const storefrontStamp =
        storefront.kind === 'bigcommerce'
          ? await writeBackToBigCommerce(storefront.client, input)
          : await writeBackToClarity(storefront.client, input);
      if (storefrontStamp === undefined) return {};
      // A run started later (a late webhook, the sweep) compares the order's stamp with this one before doing anything.
      await recordLedgerEntry(
        deps.db,
        { tenantId: input.tenantId, entity: 'order', externalId: input.orderId },
        { storefrontModifiedAt: storefrontStamp },
      );
      return { storefrontStamp };
    }),

    readShipmentStatus: withConnectorFailures(async (input: OrderRef & { salesDocumentId: string }): Promise<ShipmentStatus> => {
      const connection = await deps.connections.forTenant(input.tenantId);
      const storefront = await storefrontOf(connection, input);
      const [storefrontSide, documents] = await settleAll([
        readStorefrontShipments(storefront, input),
        connection.intacct().then((intacct) => readConvertedDocuments(intacct, input.salesDocumentId)),
      ] as const);
      const invoiceDefinition = connection.settings.orderSync.fulfilment.invoiceTransactionDefinition;
      const invoice = documents.find((document) => document.definition === invoiceDefinition);
      const records = documents.map(fromIntacctFulfilmentDocument);
      const missing = shipmentsMissingFromStorefront(records, storefrontSide.storefrontShipments);
      return {
        ...storefrontSide,
        intacctShipmentsToSync: await withIntacctLines(
          await connection.intacct(),
          input.salesDocumentId,
          storefrontSide.orderLines ?? [],
          missing.map((record) => ({ record, documentId: documents[records.indexOf(record)]!.documentId })),
        ),
        ...(invoice !== undefined && { existingInvoiceDocumentId: invoice.documentId }),
      };
    }),

    syncShipmentToStorefront: withConnectorFailures(async (input: OrderRef & { shipment: ShipmentRecord }): Promise<{ added: boolean }> => {
      const trackingNumber = (input.shipment.trackingNumber ?? '').trim();
      if (trackingNumber === '') throw notAddable(input, 'the shipment has no tracking number to add or to recognise it by');
      const storefront = await storefrontOf(await deps.connections.forTenant(input.tenantId), input);
      return storefront.kind === 'bigcommerce'
        ? addBigCommerceShipment(storefront.client, input, input.shipment, trackingNumber)
        : addClarityShipment(storefront.client, input, input.shipment, trackingNumber);
    }),
  };
}
