import type { ShipmentRecord } from '../activities/order-to-cash-types.js';
import type { OrderShipment } from '../connectors/bigcommerce/index.js';
import type { ClarityShipment } from '../connectors/clarity/index.js';
import { isoTimestamp } from './iso-timestamp.js';
import { oneLine } from './one-line.js';

/**
 * Shipments as the storefronts and Intacct record them, read into one {@link ShipmentRecord}
 * shape, and compared by tracking number to find what the storefront does not have yet.
 */

/** Tracking numbers compared the way carriers print them: case and spacing do not matter. */
export function normaliseTrackingNumber(trackingNumber: string | undefined): string {
  return (trackingNumber ?? '').replace(/\s+/g, '').toUpperCase();
}

/** Whether one of the shipments carries this tracking number. */
export function hasTrackingNumber(shipments: readonly ShipmentRecord[], trackingNumber: string | undefined): boolean {
  const wanted = normaliseTrackingNumber(trackingNumber);
  return wanted !== '' && shipments.some((shipment) => normaliseTrackingNumber(shipment.trackingNumber) === wanted);
}

/**
 * Intacct's shipments whose tracking number the storefront does not have yet, first
 * occurrence of each tracking number only. Shipments without a tracking number cannot be
 * matched, so they are not offered.
 */
export function shipmentsMissingFromStorefront(
  intacct: readonly ShipmentRecord[],
  storefront: readonly ShipmentRecord[],
): ShipmentRecord[] {
  const seen = new Set(
    storefront.map((shipment) => normaliseTrackingNumber(shipment.trackingNumber)).filter((tracking) => tracking !== ''),
  );
  const missing: ShipmentRecord[] = [];
  for (const shipment of intacct) {
    const tracking = normaliseTrackingNumber(shipment.trackingNumber);
    if (tracking === '' || seen.has(tracking)) continue;
    seen.add(tracking);
    missing.push(shipment);
  }
  return missing;
}

/** A record with only the fields that have a value. */
function shipmentRecord(trackingNumber: string | undefined, carrier: string | undefined, shippedAt: string | undefined): ShipmentRecord {
  const record: ShipmentRecord = {};
  if (oneLine(trackingNumber) !== '') record.trackingNumber = oneLine(trackingNumber);
  if (oneLine(carrier) !== '') record.carrier = oneLine(carrier);
  if (shippedAt !== undefined) record.shippedAt = shippedAt;
  return record;
}

/** A BigCommerce shipment: its tracking number, the provider (else the AfterShip slug, else the method), its creation time. */
export function fromBigCommerceShipment(shipment: OrderShipment): ShipmentRecord {
  const carrier = [shipment.shipping_provider, shipment.tracking_carrier, shipment.shipping_method]
    .map(oneLine)
    .find((value) => value !== '');
  return shipmentRecord(shipment.tracking_number, carrier, isoTimestamp(shipment.date_created));
}

/** A Clarity shipment: its tracking number, carrier and ship time. */
export function fromClarityShipment(shipment: ClarityShipment): ShipmentRecord {
  return shipmentRecord(shipment.trackingNumber, shipment.carrier, isoTimestamp(shipment.shippedAt));
}

/** The fields of an SODOCUMENT converted from the sales order (a shipper or invoice) that describe its shipment. */
export interface IntacctFulfilmentDocument {
  documentId: string;
  /** `TRACKINGNUMBER`. */
  trackingNumber: string;
  /** `SHIPVIA`: the shipping method, e.g. "UPS Ground". */
  shipVia: string;
  /** `SHIPPEDDATE`, else the document date `WHENCREATED`. */
  shippedDate: string;
  createdDate: string;
}

/** An Intacct shipper or invoice: its tracking number, ship-via, and shipped date (else the document date). */
export function fromIntacctFulfilmentDocument(document: IntacctFulfilmentDocument): ShipmentRecord {
  return shipmentRecord(
    document.trackingNumber,
    document.shipVia,
    isoTimestamp(document.shippedDate) ?? isoTimestamp(document.createdDate),
  );
}
