import { describe, expect, it } from 'vitest';
import { bigCommerceShippingProvider, unshippedBigCommerceItems, unshippedClarityLines } from './to-storefront-shipment.js';

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
      expected: [
        {
          orderAddressId: 10,
          items: [
            { order_product_id: 1, quantity: 2 },
            { order_product_id: 2, quantity: 1 },
          ],
        },
      ],
    },
    {
      name: 'part has shipped',
      products: [line(1, 3, 1), line(2, 1, 1)],
      expected: [{ orderAddressId: 10, items: [{ order_product_id: 1, quantity: 2 }] }],
    },
    { name: 'everything has shipped', products: [line(1, 2, 2)], expected: [] },
    {
      name: 'lines go to two addresses, the first address partly shipped',
      products: [line(1, 1, 1, 10), line(2, 1, 0, 11), line(3, 2, 0, 10), line(4, 1, 0, 11)],
      expected: [
        {
          orderAddressId: 11,
          items: [
            { order_product_id: 2, quantity: 1 },
            { order_product_id: 4, quantity: 1 },
          ],
        },
        { orderAddressId: 10, items: [{ order_product_id: 3, quantity: 2 }] },
      ],
    },
    {
      name: 'a bundle has children',
      products: [line(1, 1, 0), line(2, 1, 0, 10, { parent: 1 })],
      expected: [{ orderAddressId: 10, items: [{ order_product_id: 1, quantity: 1 }] }],
    },
  ];
  it.each(cases)('when $name on BigCommerce, then what is open is listed per address', ({ products, expected }) => {
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
