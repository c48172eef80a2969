import { describe, expect, it } from 'vitest';
import type { ShipmentRecord } from '../workflows/order-to-cash-contract.js';
import type { OrderShipment } from '../connectors/bigcommerce/index.js';
import type { ClarityShipment } from '../connectors/clarity/index.js';
import {
  bigCommerceShippingProvider,
  clarityErpReference,
  fromBigCommerceShipment,
  fromClarityShipment,
  fromIntacctFulfilmentDocument,
  hasTrackingNumber,
  intacctMarkerLine,
  isoTimestamp,
  readIntacctMarker,
  shipmentsMissingFromStorefront,
  unshippedBigCommerceItems,
  unshippedClarityLines,
  withIntacctMarker,
  type WriteBackState,
} from './storefront-write-back.js';

describe('intacctMarkerLine', () => {
  const cases: { name: string; input: WriteBackState; expected: string }[] = [
    {
      name: 'synced with a document',
      input: { state: 'synced', salesDocumentId: 'Sales Order-SO-0042' },
      expected: '[Intacct] Sales Order-SO-0042 · synced',
    },
    { name: 'synced without a document id', input: { state: 'synced' }, expected: '[Intacct] synced' },
    {
      name: 'needs attention before any document',
      input: { state: 'needs_attention', attentionCode: 'unknown_sku' },
      expected: '[Intacct] needs attention: unknown_sku',
    },
    {
      name: 'needs attention after the document',
      input: { state: 'needs_attention', salesDocumentId: 'Sales Order-SO-0042', attentionCode: 'payment_failed' },
      expected: '[Intacct] Sales Order-SO-0042 · needs attention: payment_failed',
    },
    { name: 'needs attention without a code', input: { state: 'needs_attention' }, expected: '[Intacct] needs attention' },
    { name: 'cancelled', input: { state: 'cancelled' }, expected: '[Intacct] cancelled' },
    {
      name: 'cancelled naming the document',
      input: { state: 'cancelled', salesDocumentId: 'Sales Order-SO-0042' },
      expected: '[Intacct] Sales Order-SO-0042 · cancelled',
    },
    {
      name: 'newlines in the values stay on one line',
      input: { state: 'needs_attention', salesDocumentId: 'Sales Order-\nSO-1', attentionCode: 'a\r\nb' },
      expected: '[Intacct] Sales Order- SO-1 · needs attention: a b',
    },
  ];
  it.each(cases)('when the state is $name, then the marker is "$expected"', ({ input, expected }) => {
    expect(intacctMarkerLine(input)).toBe(expected);
  });
});

describe('withIntacctMarker', () => {
  const synced = '[Intacct] Sales Order-SO-0042 · synced';
  const cases: { name: string; notes: string; marker: string; expected: string }[] = [
    { name: 'the notes are empty', notes: '', marker: synced, expected: synced },
    { name: 'the merchant wrote notes', notes: 'Gift wrap, VIP customer', marker: synced, expected: `Gift wrap, VIP customer\n${synced}` },
    {
      name: 'the merchant notes end in blank lines',
      notes: 'Call before delivery\n\n  \n',
      marker: synced,
      expected: `Call before delivery\n${synced}`,
    },
    { name: 'our line is already there', notes: `Gift wrap\n${synced}`, marker: synced, expected: `Gift wrap\n${synced}` },
    {
      name: 'the state changed',
      notes: `Gift wrap\n[Intacct] needs attention: unknown_sku`,
      marker: synced,
      expected: `Gift wrap\n${synced}`,
    },
    {
      name: 'our line sits between merchant lines',
      notes: `Line one\n[Intacct] needs attention: unknown_sku\nLine two`,
      marker: '[Intacct] cancelled',
      expected: 'Line one\nLine two\n[Intacct] cancelled',
    },
    {
      name: 'there are several old marker lines, one indented',
      notes: `[Intacct] synced\nNote\n   [Intacct] needs attention`,
      marker: synced,
      expected: `Note\n${synced}`,
    },
    {
      name: 'the notes use CRLF',
      notes: 'First\r\nSecond\r\n[Intacct] cancelled',
      marker: synced,
      expected: `First\r\nSecond\r\n${synced}`,
    },
    {
      name: 'the merchant mentions Intacct mid-line',
      notes: 'Ask about [Intacct] export',
      marker: synced,
      expected: `Ask about [Intacct] export\n${synced}`,
    },
    { name: 'a merchant line has trailing spaces', notes: 'Fragile   ', marker: synced, expected: `Fragile   \n${synced}` },
  ];
  it.each(cases)('when $name, then the merchant text is kept and one marker line ends the notes', ({ notes, marker, expected }) => {
    const written = withIntacctMarker(notes, marker);
    expect(written).toBe(expected);
    expect(withIntacctMarker(written, marker)).toBe(written);
    expect(readIntacctMarker(written)).toBe(marker);
  });

  it('when the notes hold no marker, then none is read', () => {
    expect(readIntacctMarker('Gift wrap')).toBeUndefined();
  });
});

describe('clarityErpReference', () => {
  const cases: { name: string; input: WriteBackState; expected: ReturnType<typeof clarityErpReference> }[] = [
    {
      name: 'synced',
      input: { state: 'synced', salesDocumentId: ' Sales Order-SO-0042 ' },
      expected: { change: true, erpReference: 'Sales Order-SO-0042' },
    },
    { name: 'synced without a document id', input: { state: 'synced' }, expected: { change: false } },
    {
      name: 'cancelled',
      input: { state: 'cancelled', salesDocumentId: 'Sales Order-SO-0042' },
      expected: { change: true, erpReference: null },
    },
    { name: 'needs attention', input: { state: 'needs_attention', attentionCode: 'unknown_sku' }, expected: { change: false } },
  ];
  it.each(cases)('when the state is $name, then the write is $expected', ({ input, expected }) => {
    expect(clarityErpReference(input)).toEqual(expected);
  });
});

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

describe('isoTimestamp', () => {
  const cases: { name: string; value: string | undefined; expected: string | undefined }[] = [
    { name: 'an RFC 2822 date', value: 'Tue, 05 Mar 2019 21:40:11 +0000', expected: '2019-03-05T21:40:11Z' },
    { name: 'an RFC 2822 date in another zone', value: 'Tue, 05 Mar 2019 21:40:11 -0500', expected: '2019-03-06T02:40:11Z' },
    { name: 'an Intacct US date', value: '03/15/2026', expected: '2026-03-15T00:00:00Z' },
    { name: 'an ISO date', value: '2026-03-15', expected: '2026-03-15T00:00:00Z' },
    { name: 'an ISO timestamp with milliseconds', value: '2026-11-05T16:00:00.250Z', expected: '2026-11-05T16:00:00.250Z' },
    { name: 'empty', value: '', expected: undefined },
    { name: 'absent', value: undefined, expected: undefined },
    { name: 'not a date', value: 'soon', expected: undefined },
  ];
  it.each(cases)('when the value is $name, then it reads as $expected', ({ value, expected }) => {
    expect(isoTimestamp(value)).toBe(expected);
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

describe('bigCommerceShippingProvider', () => {
  const cases: { carrier: string | undefined; expected: string }[] = [
    { carrier: 'UPS Ground', expected: 'ups' },
    { carrier: 'ups', expected: 'ups' },
    { carrier: 'USPS Priority Mail', expected: 'usps' },
    { carrier: 'FedEx 2Day', expected: 'fedex' },
    { carrier: 'Federal Express', expected: 'fedex' },
    { carrier: 'Royal Mail Tracked 24', expected: 'royalmail' },
    { carrier: 'Australia Post', expected: 'auspost' },
    { carrier: 'Canada Post Expedited', expected: 'canadapost' },
    { carrier: 'DHL Express', expected: '' },
    { carrier: 'Groups Freight', expected: '' },
    { carrier: undefined, expected: '' },
  ];
  it.each(cases)('when the carrier is "$carrier", then the provider is "$expected"', ({ carrier, expected }) => {
    expect(bigCommerceShippingProvider(carrier)).toBe(expected);
  });
});

describe('what is left to ship', () => {
  const line = (id: number, quantity: number, shipped: number, address = 10, bundle?: { parent: number }) => ({
    id,
    order_address_id: address,
    quantity,
    quantity_shipped: shipped,
    is_bundled_product: bundle !== undefined,
    parent_order_product_id: bundle?.parent ?? null,
  });
  const cases: { name: string; products: ReturnType<typeof line>[]; expected: ReturnType<typeof unshippedBigCommerceItems> }[] = [
    {
      name: 'nothing has shipped',
      products: [line(1, 2, 0), line(2, 1, 0)],
      expected: {
        orderAddressId: 10,
        items: [
          { order_product_id: 1, quantity: 2 },
          { order_product_id: 2, quantity: 1 },
        ],
      },
    },
    {
      name: 'part has shipped',
      products: [line(1, 3, 1), line(2, 1, 1)],
      expected: { orderAddressId: 10, items: [{ order_product_id: 1, quantity: 2 }] },
    },
    { name: 'everything has shipped', products: [line(1, 2, 2)], expected: undefined },
    {
      name: 'lines go to two addresses',
      products: [line(1, 1, 1, 10), line(2, 1, 0, 11), line(3, 2, 0, 10), line(4, 1, 0, 11)],
      expected: {
        orderAddressId: 11,
        items: [
          { order_product_id: 2, quantity: 1 },
          { order_product_id: 4, quantity: 1 },
        ],
      },
    },
    {
      name: 'a bundle has children',
      products: [line(1, 1, 0), line(2, 1, 0, 10, { parent: 1 })],
      expected: { orderAddressId: 10, items: [{ order_product_id: 1, quantity: 1 }] },
    },
  ];
  it.each(cases)('when $name on BigCommerce, then the shipment carries exactly what is open', ({ products, expected }) => {
    expect(unshippedBigCommerceItems(products)).toEqual(expected);
  });

  const order = {
    lineItems: [
      { sku: 'HOODIE-GRY-L', quantity: 3 },
      { sku: 'TOTE-NAT-OS', quantity: 5 },
      { sku: 'HOODIE-GRY-L', quantity: 1 },
    ],
  } as Parameters<typeof unshippedClarityLines>[0];
  const clarityCases: { name: string; shipped: { sku: string; quantity: number }[][]; expected: { sku: string; quantity: number }[] }[] = [
    {
      name: 'nothing has shipped (a SKU on two lines adds up)',
      shipped: [],
      expected: [
        { sku: 'HOODIE-GRY-L', quantity: 4 },
        { sku: 'TOTE-NAT-OS', quantity: 5 },
      ],
    },
    {
      name: 'part has shipped over two shipments',
      shipped: [
        [{ sku: 'TOTE-NAT-OS', quantity: 2 }],
        [
          { sku: 'HOODIE-GRY-L', quantity: 4 },
          { sku: 'TOTE-NAT-OS', quantity: 1 },
        ],
      ],
      expected: [{ sku: 'TOTE-NAT-OS', quantity: 2 }],
    },
    {
      name: 'everything has shipped',
      shipped: [
        [
          { sku: 'HOODIE-GRY-L', quantity: 4 },
          { sku: 'TOTE-NAT-OS', quantity: 5 },
        ],
      ],
      expected: [],
    },
  ];
  it.each(clarityCases)('when $name on Clarity, then the open lines are exact', ({ shipped, expected }) => {
    expect(
      unshippedClarityLines(
        order,
        shipped.map((lineItems) => ({ lineItems })),
      ),
    ).toEqual(expected);
  });
});
