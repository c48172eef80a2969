import type { AddressRecord } from './records.js';
import type { ClarityStore } from './store.js';

/**
 * A small apparel-and-merch store, SKUs in the same style as the BigCommerce demo store, with
 * customers, coupons and orders in every state the sync has to handle (paid, awaiting
 * payment, guest, coupon, shipped, returned and refunded).
 */
export const seedSkus = [
  'TSHIRT-BLK-M',
  'TSHIRT-BLK-L',
  'TSHIRT-WHT-M',
  'HOODIE-GRY-L',
  'MUG-WHT-11OZ',
  'MUG-BLK-15OZ',
  'CAP-NVY-OS',
  'TOTE-NAT-OS',
  'STICKER-PACK-5',
  'POSTER-CITY-A2',
] as const;

const janeAddress: AddressRecord = {
  firstName: 'Jane',
  lastName: 'Doe',
  company: null,
  line1: '555 East Street',
  line2: null,
  city: 'Austin',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
  phone: '+1 512 555 0142',
  email: 'jane.doe@example.com',
};

const marcoAddress: AddressRecord = {
  firstName: 'Marco',
  lastName: 'Rossi',
  company: 'Rossi Outfitters LLC',
  line1: '200 West Madison Street',
  line2: 'Suite 1400',
  city: 'Chicago',
  region: 'IL',
  postalCode: '60606',
  country: 'US',
  phone: '+1 312 555 0199',
  email: 'marco@rossi-outfitters.example',
};

const aikoAddress: AddressRecord = {
  firstName: 'Aiko',
  lastName: 'Tanaka',
  company: null,
  line1: '1201 Pine Street',
  line2: 'Apt 5B',
  city: 'Seattle',
  region: 'WA',
  postalCode: '98101',
  country: 'US',
  phone: null,
  email: 'aiko.tanaka@example.com',
};

const guestAddress: AddressRecord = {
  firstName: 'Sam',
  lastName: 'Lee',
  company: null,
  line1: '48 Harbor Road',
  line2: null,
  city: 'Portland',
  region: 'ME',
  postalCode: '04101',
  country: 'US',
  phone: null,
  email: 'sam.lee@example.net',
};

const catalogDate = '2026-10-01T09:00:00.000Z';

/** Loads the demo store into an empty store, without announcing anything. */
export function seedStore(store: ClarityStore): void {
  const products: [string, string, number, number, boolean, boolean, string][] = [
    ['TSHIRT-BLK-M', 'Classic T-Shirt, Black, M', 2400, 120, true, true, 'apparel'],
    ['TSHIRT-BLK-L', 'Classic T-Shirt, Black, L', 2400, 85, true, true, 'apparel'],
    ['TSHIRT-WHT-M', 'Classic T-Shirt, White, M', 2400, 60, true, true, 'apparel'],
    ['HOODIE-GRY-L', 'Pullover Hoodie, Grey, L', 5900, 25, true, true, 'apparel'],
    ['MUG-WHT-11OZ', 'Ceramic Mug, White, 11 oz', 1450, 200, true, true, 'drinkware'],
    ['MUG-BLK-15OZ', 'Ceramic Mug, Black, 15 oz', 1600, 40, true, true, 'drinkware'],
    ['CAP-NVY-OS', 'Baseball Cap, Navy, One Size', 1999, 70, true, true, 'accessories'],
    ['TOTE-NAT-OS', 'Canvas Tote, Natural, One Size', 1200, 150, true, true, 'accessories'],
    ['STICKER-PACK-5', 'Sticker Pack (5)', 500, 0, true, false, 'print'],
    ['POSTER-CITY-A2', 'City Poster, A2 (discontinued)', 2900, 3, false, true, 'print'],
  ];
  products.forEach(([sku, name, price, available, active, tracked, productType], index) => {
    store.addProduct({
      productId: `P-${501 + index}`,
      sku,
      name,
      price,
      currency: 'USD',
      active,
      available,
      tracked,
      updatedAt: catalogDate,
      productType,
    });
  });

  store.addCustomer({
    customerId: 'CU-2001',
    email: 'jane.doe@example.com',
    firstName: 'Jane',
    lastName: 'Doe',
    company: null,
    phone: janeAddress.phone,
    addresses: [janeAddress],
    createdAt: '2026-03-14T10:12:00.000Z',
    updatedAt: '2026-03-14T10:12:00.000Z',
    customerGroup: 'retail',
  });
  store.addCustomer({
    customerId: 'CU-2002',
    email: 'marco@rossi-outfitters.example',
    firstName: 'Marco',
    lastName: 'Rossi',
    company: 'Rossi Outfitters LLC',
    phone: marcoAddress.phone,
    addresses: [marcoAddress],
    createdAt: '2026-05-02T16:40:00.000Z',
    updatedAt: '2026-09-20T08:05:00.000Z',
    customerGroup: 'wholesale',
  });
  store.addCustomer({
    customerId: 'CU-2003',
    email: 'aiko.tanaka@example.com',
    firstName: 'Aiko',
    lastName: 'Tanaka',
    company: null,
    phone: null,
    addresses: [aikoAddress],
    createdAt: '2026-08-11T19:25:00.000Z',
    updatedAt: '2026-08-11T19:25:00.000Z',
    customerGroup: 'retail',
  });

  store.addCoupon({ code: 'SPRING10', type: 'percent', value: 10, active: true });
  store.addCoupon({ code: 'WELCOME5', type: 'fixed', value: 500, active: true });
  store.addCoupon({ code: 'FREESHIP', type: 'free_shipping', value: 0, active: true });
  store.addCoupon({ code: 'SUMMER20', type: 'percent', value: 20, active: false });

  store.checkout({
    customerId: 'CU-2001',
    lineItems: [
      { sku: 'TSHIRT-BLK-M', quantity: 2 },
      { sku: 'MUG-WHT-11OZ', quantity: 1 },
    ],
    couponCode: 'SPRING10',
    at: '2026-11-02T14:03:22.000Z',
  });
  store.checkout({
    customerId: null,
    email: 'sam.lee@example.net',
    shippingAddress: guestAddress,
    lineItems: [{ sku: 'CAP-NVY-OS', quantity: 1 }],
    status: 'pending',
    at: '2026-11-03T09:15:40.000Z',
  });
  const shipped = store.checkout({
    customerId: 'CU-2002',
    lineItems: [
      { sku: 'HOODIE-GRY-L', quantity: 3 },
      { sku: 'TOTE-NAT-OS', quantity: 5 },
    ],
    couponCode: 'WELCOME5',
    at: '2026-11-04T11:30:00.000Z',
  });
  store.checkout({
    customerId: 'CU-2003',
    lineItems: [
      { sku: 'MUG-BLK-15OZ', quantity: 2 },
      { sku: 'STICKER-PACK-5', quantity: 1 },
    ],
    couponCode: 'FREESHIP',
    at: '2026-11-05T18:45:10.000Z',
  });
  store.checkout({ customerId: 'CU-2001', lineItems: [{ sku: 'TSHIRT-WHT-M', quantity: 1 }], at: '2026-11-06T08:00:00.000Z' });

  store.addShipment(
    shipped.orderId,
    {
      shipmentId: 'SH-9001',
      carrier: 'UPS',
      service: 'Ground',
      trackingNumber: '1Z999AA10123456784',
      trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
      shippedAt: '2026-11-05T16:00:00.000Z',
      lineItems: [
        { sku: 'HOODIE-GRY-L', quantity: 3 },
        { sku: 'TOTE-NAT-OS', quantity: 5 },
      ],
    },
    '2026-11-05T16:05:00.000Z',
  );
  store.createReturn({
    orderId: shipped.orderId,
    lineItems: [{ sku: 'HOODIE-GRY-L', quantity: 1, reason: 'wrong size', restock: true }],
    status: 'refunded',
    at: '2026-11-10T12:00:00.000Z',
  });
}
