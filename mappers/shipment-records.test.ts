import { describe, expect, it } from 'vitest';
import type { ShipmentRecord } from '../activities/order-to-cash-types.js';
import type { OrderShipment } from '../connectors/bigcommerce/index.js';
import type { ClarityShipment } from '../connectors/clarity/index.js';
import {
  fromBigCommerceShipment,
  fromClarityShipment,
  fromIntacctFulfilmentDocument,
  hasTrackingNumber,
  shipmentsMissingFromStorefront,
} from './shipment-records.js';

describe('shipment comparison', () => {
  const storefront: ShipmentRecord[] = [{ trackingNumber: '1Z999AA10123456784', carrier: 'ups' }, { carrier: 'manual' }];
  const cases: { name: string; tracking: string | undefined; expected: boolean }[] = [
    { name: 'the same number', tracking: '1Z999AA10123456784', expected: true },
    { name: 'the same number in lower case with spaces', tracking: ' 1z999 aa1012 3456784 ', expected: true },
    { name: 'another number', tracking: '1Z999AA10123456785', expected: false },
    { name: 'no number', tracking: undefined, expected: false },
    { name: 'an empty number', tracking: '  ', expected: false },
  ];
  it.each(cases)('when the tracking number is $name, then the storefront has it: $expected', ({ tracking, expected }) => {
    expect(hasTrackingNumber(storefront, tracking)).toBe(expected);
  });

  it('when Intacct has shipments, then only tracking numbers the storefront lacks are offered, once each, and untracked ones are skipped', () => {
    const intacct: ShipmentRecord[] = [
      { trackingNumber: '1z999aa10123456784', carrier: 'UPS Ground' },
      { trackingNumber: '9400 1000 0000 0000 0000 00', carrier: 'USPS' },
      { carrier: 'Truck' },
      { trackingNumber: '9400100000000000000000', carrier: 'USPS again' },
    ];
    expect(shipmentsMissingFromStorefront(intacct, storefront)).toEqual([
      { trackingNumber: '9400 1000 0000 0000 0000 00', carrier: 'USPS' },
    ]);
  });
});

describe('shipment records from each system', () => {
  const bigCommerce: OrderShipment = {
    id: 1,
    order_id: 102,
    customer_id: 0,
    order_address_id: 3,
    date_created: 'Thu, 05 Nov 2026 16:05:00 +0000',
    tracking_number: '1Z999AA10123456784',
    shipping_method: 'Flat Rate',
    shipping_provider: 'ups',
    tracking_carrier: '',
    items: [{ order_product_id: 4, product_id: 111, quantity: 1 }],
  };
  const cases: { name: string; shipment: OrderShipment; expected: ShipmentRecord }[] = [
    {
      name: 'a provider',
      shipment: bigCommerce,
      expected: { trackingNumber: '1Z999AA10123456784', carrier: 'ups', shippedAt: '2026-11-05T16:05:00Z' },
    },
    {
      name: 'only an AfterShip slug',
      shipment: { ...bigCommerce, shipping_provider: '', tracking_carrier: 'dhl' },
      expected: { trackingNumber: '1Z999AA10123456784', carrier: 'dhl', shippedAt: '2026-11-05T16:05:00Z' },
    },
    {
      name: 'no provider or slug',
      shipment: { ...bigCommerce, shipping_provider: '' },
      expected: { trackingNumber: '1Z999AA10123456784', carrier: 'Flat Rate', shippedAt: '2026-11-05T16:05:00Z' },
    },
    {
      name: 'no tracking number',
      shipment: { ...bigCommerce, tracking_number: '', shipping_provider: '', shipping_method: '' },
      expected: { shippedAt: '2026-11-05T16:05:00Z' },
    },
  ];
  it.each(cases)('when a BigCommerce shipment has $name, then its record is exact', ({ shipment, expected }) => {
    expect(fromBigCommerceShipment(shipment)).toEqual(expected);
  });

  it('when a Clarity shipment is read, then its tracking number, carrier and ship time are kept', () => {
    const shipment: ClarityShipment = {
      shipmentId: 'SH-9001',
      orderId: 'CO-100003',
      carrier: 'UPS',
      service: 'Ground',
      trackingNumber: '1Z999AA10123456784',
      trackingUrl: null,
      shippedAt: '2026-11-05T16:00:00.000Z',
      lineItems: [],
      createdAt: '2026-11-05T16:05:00.000Z',
    };
    expect(fromClarityShipment(shipment)).toEqual({
      trackingNumber: '1Z999AA10123456784',
      carrier: 'UPS',
      shippedAt: '2026-11-05T16:00:00Z',
    });
  });

  const intacct = {
    documentId: 'Sales Invoice-INV-0007',
    trackingNumber: ' 1Z999 ',
    shipVia: 'UPS Ground',
    shippedDate: '03/16/2026',
    createdDate: '03/15/2026',
  };
  const intacctCases: { name: string; document: typeof intacct; expected: ShipmentRecord }[] = [
    {
      name: 'a shipped date',
      document: intacct,
      expected: { trackingNumber: '1Z999', carrier: 'UPS Ground', shippedAt: '2026-03-16T00:00:00Z' },
    },
    {
      name: 'no shipped date (the document date stands in)',
      document: { ...intacct, shippedDate: '' },
      expected: { trackingNumber: '1Z999', carrier: 'UPS Ground', shippedAt: '2026-03-15T00:00:00Z' },
    },
    {
      name: 'no tracking number or ship-via',
      document: { ...intacct, trackingNumber: '', shipVia: '' },
      expected: { shippedAt: '2026-03-16T00:00:00Z' },
    },
  ];
  it.each(intacctCases)('when an Intacct document has $name, then its record is exact', ({ document, expected }) => {
    expect(fromIntacctFulfilmentDocument(document)).toEqual(expected);
  });
});
