import type { WriteBackInput, ShipmentRecord } from '../workflows/order-to-cash-contract.js';
import type { OrderProduct, OrderShipment } from '../connectors/bigcommerce/index.js';
import type { ClarityOrder, ClarityShipment, ClarityShipmentLine } from '../connectors/clarity/index.js';

/**
 * What the product writes back to a storefront order, and how it reads the storefront's and
 * Intacct's shipments: pure text and list work, no I/O. The activities in
 * `activities/storefront-orders.ts` read the storefront, call these, and write only when the
 * result differs from what is there.
 */

/** The sync state to record on the order, as the workflow reports it. */
export type WriteBackState = Pick<WriteBackInput, 'state' | 'salesDocumentId' | 'attentionCode'>;

/** Every line of staff notes that starts with this (after indentation) is the product's, and only those. */
export const intacctMarkerPrefix = '[Intacct]';

const markerPattern = /^\s*\[Intacct\]/;

/** Collapses whitespace (newlines included) so a value can never split the marker into two lines. */
function oneLine(value: string | undefined): string {
  return (value ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The one line the product keeps in a BigCommerce order's staff notes:
 * `[Intacct] Sales Order-SO-0042 · synced`, `[Intacct] needs attention: unknown_sku`,
 * `[Intacct] Sales Order-SO-0042 · cancelled`. The document id leads when there is one, so
 * staff see which Intacct document the order is (or was) in.
 */
export function intacctMarkerLine(input: WriteBackState): string {
  const document = oneLine(input.salesDocumentId);
  const code = oneLine(input.attentionCode);
  const status =
    input.state === 'synced'
      ? 'synced'
      : input.state === 'cancelled'
        ? 'cancelled'
        : code === ''
          ? 'needs attention'
          : `needs attention: ${code}`;
  return `${intacctMarkerPrefix} ${document === '' ? status : `${document} · ${status}`}`;
}

/**
 * The staff notes with the product's marker line replaced by `marker` (or appended when there
 * is none yet); everything the merchant wrote stays as it was. Applying it to its own result
 * gives the same text, so "no change" can be detected by comparing with the current notes.
 * Several old marker lines (written by hand or by an older version) collapse into one.
 */
export function withIntacctMarker(staffNotes: string, marker: string): string {
  const newline = staffNotes.includes('\r\n') ? '\r\n' : '\n';
  const merchantLines = staffNotes.split(/\r?\n/).filter((line) => !markerPattern.test(line));
  while (merchantLines.length > 0 && merchantLines[merchantLines.length - 1]!.trim() === '') merchantLines.pop();
  return [...merchantLines, oneLine(marker)].join(newline);
}

/** The product's marker line in the notes, if any (the last one when several). */
export function readIntacctMarker(staffNotes: string): string | undefined {
  return staffNotes
    .split(/\r?\n/)
    .filter((line) => markerPattern.test(line))
    .map((line) => line.trim())
    .at(-1);
}

/**
 * What Clarity's `erpReference` (its only write-back field: "the ERP document number") should
 * hold for a sync state. Synced: the document id. Cancelled: cleared, since the document was
 * deleted or closed by the compensation. Needs attention: the contract has no field for it, so
 * the reference is left as it is (null until a document exists); the attention queue carries it.
 */
export function clarityErpReference(input: WriteBackState): { change: true; erpReference: string | null } | { change: false } {
  if (input.state === 'synced') {
    const document = oneLine(input.salesDocumentId);
    return document === '' ? { change: false } : { change: true, erpReference: document };
  }
  if (input.state === 'cancelled') return { change: true, erpReference: null };
  return { change: false };
}

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

/** A BigCommerce date (RFC 2822) or Intacct date (`MM/DD/YYYY`, `YYYY-MM-DD`) as ISO 8601 UTC; undefined when it is not one. */
export function isoTimestamp(value: string | undefined): string | undefined {
  const text = (value ?? '').trim();
  if (text === '') return undefined;
  const us = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const dateOnly = us ? `${us[3]}-${us[1]}-${us[2]}` : iso ? text : undefined;
  const parsed = Date.parse(dateOnly === undefined ? text : `${dateOnly}T00:00:00Z`);
  if (Number.isNaN(parsed)) return undefined;
  return new Date(parsed).toISOString().replace('.000Z', 'Z');
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

export function fromIntacctFulfilmentDocument(document: IntacctFulfilmentDocument): ShipmentRecord {
  return shipmentRecord(
    document.trackingNumber,
    document.shipVia,
    isoTimestamp(document.shippedDate) ?? isoTimestamp(document.createdDate),
  );
}

/**
 * BigCommerce's `shipping_provider` for a carrier name ("UPS Ground" → `ups`), or `""` (the
 * API's "no provider") when it is not one BigCommerce knows; the name then goes in
 * `shipping_method`.
 */
export function bigCommerceShippingProvider(carrier: string | undefined): string {
  const compact = (carrier ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  const words = compact.split(' ');
  const joined = words.join('');
  if (words.includes('usps')) return 'usps';
  if (words.includes('ups')) return 'ups';
  if (words.includes('fedex') || joined.includes('federalexpress')) return 'fedex';
  if (joined.includes('royalmail')) return 'royalmail';
  if (joined.includes('auspost') || joined.includes('australiapost')) return 'auspost';
  if (joined.includes('canadapost')) return 'canadapost';
  return '';
}

/**
 * What a new BigCommerce shipment can carry: every line of the first shipping address that
 * still has quantity to ship (a shipment belongs to one address), with that quantity.
 * Bundle children ship with their parent line. Undefined when everything has shipped.
 */
export function unshippedBigCommerceItems(
  products: readonly Pick<
    OrderProduct,
    'id' | 'order_address_id' | 'quantity' | 'quantity_shipped' | 'is_bundled_product' | 'parent_order_product_id'
  >[],
): { orderAddressId: number; items: { order_product_id: number; quantity: number }[] } | undefined {
  const open = products
    .filter((product) => !(product.is_bundled_product === true && product.parent_order_product_id != null))
    .map((product) => ({ product, left: product.quantity - Number(product.quantity_shipped) }))
    .filter(({ left }) => left > 0);
  const first = open[0];
  if (first === undefined) return undefined;
  const orderAddressId = first.product.order_address_id;
  return {
    orderAddressId,
    items: open
      .filter(({ product }) => product.order_address_id === orderAddressId)
      .map(({ product, left }) => ({ order_product_id: product.id, quantity: left })),
  };
}

/** Each SKU of a Clarity order with the quantity its shipments do not cover yet, in line order. */
export function unshippedClarityLines(
  order: Pick<ClarityOrder, 'lineItems'>,
  shipments: readonly Pick<ClarityShipment, 'lineItems'>[],
): ClarityShipmentLine[] {
  const left = new Map<string, number>();
  for (const line of order.lineItems) left.set(line.sku, (left.get(line.sku) ?? 0) + line.quantity);
  for (const shipment of shipments) for (const line of shipment.lineItems) left.set(line.sku, (left.get(line.sku) ?? 0) - line.quantity);
  return [...left].filter(([, quantity]) => quantity > 0).map(([sku, quantity]) => ({ sku, quantity }));
}
