import { activityInfo } from '@temporalio/activity';
import type { ApplicationFailure } from '@temporalio/common';
import type { BigCommerceClient } from '../connectors/bigcommerce/index.js';
import type { ClarityClient } from '../connectors/clarity/index.js';
import { readConvertedLines, readSourceLines, type IntacctClient } from '../connectors/intacct/index.js';
import { isoTimestamp } from '../mappers/iso-timestamp.js';
import { fromBigCommerceShipment, fromClarityShipment, hasTrackingNumber, normaliseTrackingNumber } from '../mappers/shipment-records.js';
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
import { bigCommerceShippingProvider, unshippedBigCommerceItems, unshippedClarityLines } from '../mappers/to-storefront-shipment.js';
import { orderToCashFailures, type OrderLine, type ShipmentRecord, type ShipmentStatus } from '../workflows/order-to-cash-contract.js';
import type { OrderRef } from '../workflows/shared-contract.js';
import { flowFailure } from './flow-failure.js';
import { aboutOrder, bigCommerceOrderId, idempotencyKey, settleAll } from './storefront-order-access.js';
import type { StorefrontConnection } from './tenant-connections.js';

/** The storefront's shipments with what each carries by order line, the order's lines, and whether it is fully shipped. */
export async function readStorefrontShipments(
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

/**
 * Intacct's shipments to sync, each with the order lines and units it carries, read from its
 * lines' source lines (one query per shipment and one for the sales order, only when there is a
 * shipment to sync), so each goes to the store with its own quantities.
 */
export async function withIntacctLines(
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

/** OrderToCash's `ShipmentNotAddable` failure: the shipment cannot go to the store as it is. */
export function notAddable(ref: OrderRef, reason: string): ApplicationFailure {
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
    // A shipment to two addresses is written as two under one tracking number, so an address
    // that has it already is done, and a retry after the first sends only the rest.
    const sentTo = new Set(
      shipments.filter((sent) => hasTrackingNumber([fromBigCommerceShipment(sent)], trackingNumber)).map((sent) => sent.order_address_id),
    );
    const toSend = shipmentItems(unshippedBigCommerceItems(products), shipment.lines).filter((part) => !sentTo.has(part.orderAddressId));
    if (toSend.length === 0) {
      if (sentTo.size > 0) return { added: false };
      throw notAddable(ref, `every item it carries has shipped already, so tracking number ${trackingNumber} has no items to carry`);
    }
    const carrier = shipment.carrier?.trim() ?? '';
    for (const part of toSend)
      await client.orders.createShipment(id, {
        order_address_id: part.orderAddressId,
        items: part.items,
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

/** Adds Intacct's shipment to the store unless a shipment with its tracking number is there already. */
export async function addShipmentToStorefront(
  storefront: StorefrontConnection,
  ref: OrderRef,
  shipment: ShipmentRecord,
  trackingNumber: string,
): Promise<{ added: boolean }> {
  return storefront.kind === 'bigcommerce'
    ? addBigCommerceShipment(storefront.client, ref, shipment, trackingNumber)
    : addClarityShipment(storefront.client, ref, shipment, trackingNumber);
}
