import type { Address, CatalogBrand, CatalogCategory, CatalogProduct, Customer, Location, Order, PriceList, StockLevel } from './model.js';

/**
 * A small apparel-and-merchandise store. The SKUs are the ones the demo Intacct company
 * carries as item ids, so orders match items without a mapping table.
 */
export interface SeedData {
  products: CatalogProduct[];
  locations: Location[];
  stock: StockLevel[];
  customers: Customer[];
  orders: Order[];
  /** Price lists (`/v3/pricelists`): the seed has one, Wholesale, assigned to customer group 2. */
  priceLists?: PriceList[];
  /** Brands (`/v3/catalog/brands`); absent in state files written before they were kept. */
  brands?: CatalogBrand[];
  /** Categories of the store's one tree (`/v3/catalog/trees/categories`); absent likewise. */
  categories?: CatalogCategory[];
}

const seededAt = new Date('2026-01-05T09:30:00Z');
const taxRate = 0.0825;
const tax = (cents: number) => Math.round(cents * taxRate);

const address = (
  first: string,
  last: string,
  company: string,
  street: string,
  city: string,
  state: string,
  zip: string,
  email: string,
): Address => ({
  first_name: first,
  last_name: last,
  company,
  street_1: street,
  street_2: '',
  city,
  state,
  zip,
  country: 'United States',
  country_iso2: 'US',
  phone: '512-555-0100',
  email,
});

const jane = address('Jane', 'Doe', 'Acme Outfitters', '555 East Street', 'Austin', 'Texas', '78701', 'jane.doe@example.com');
const john = address('John', 'Smith', '', '12 Lake Road', 'Denver', 'Colorado', '80202', 'john.smith@example.com');
const maria = address(
  'Maria',
  'Garcia',
  'Garcia Design Studio',
  '800 Market Street',
  'San Francisco',
  'California',
  '94103',
  'maria.garcia@example.com',
);
const guest = address('Sam', 'Lee', '', '41 Pine Avenue', 'Portland', 'Oregon', '97205', 'sam.lee@example.com');

/** Options of the seed; the demo store alone by default. */
export interface SeedOptions {
  /**
   * Generated stock-tracked products (`SKU-000001`…, the item ids the Intacct sandbox's
   * `extraItems` generates) for scale tests: product ids from 100001, base variants from
   * 300001, `index % 89` on hand at the default location and 0 at WH-EAST.
   */
  extraProducts?: number;
  /**
   * On hand of the generated products at the default location: `index % modulo` (89 unless
   * given; 97 matches the Intacct sandbox's `extraItems`), and one more (mod `modulo`) on every
   * `driftEvery`-th product, for a catalogue of which a known share has drifted.
   */
  extraStock?: { modulo?: number; driftEvery?: number };
}

/** A fresh copy of the seed (the sandbox mutates its state; reset takes a new copy). */
export function seedData(options: SeedOptions = {}): SeedData {
  const products: CatalogProduct[] = [
    {
      id: 111,
      name: 'Classic Tee',
      sku: 'TSHIRT',
      priceCents: 2400,
      costCents: 950,
      tracking: 'variant',
      brandId: 35,
      categories: [18, 19],
      baseVariantId: 201,
      modifiedAt: seededAt,
      variants: [
        { id: 201, productId: 111, sku: 'TSHIRT-BLK-S', optionLabel: 'Black / S', priceCents: undefined, costCents: undefined },
        {
          id: 202,
          productId: 111,
          sku: 'TSHIRT-BLK-M',
          optionLabel: 'Black / M',
          priceCents: undefined,
          costCents: undefined,
          upc: '0012345678905',
        },
        { id: 203, productId: 111, sku: 'TSHIRT-BLK-L', optionLabel: 'Black / L', priceCents: undefined, costCents: undefined },
        { id: 204, productId: 111, sku: 'TSHIRT-WHT-M', optionLabel: 'White / M', priceCents: 2600, costCents: 1000 },
      ],
    },
    {
      id: 112,
      name: 'Ceramic Mug 12 oz',
      sku: 'MUG-CER-12OZ',
      priceCents: 1450,
      costCents: 520,
      tracking: 'product',
      brandId: 36,
      categories: [21],
      baseVariantId: 210,
      modifiedAt: seededAt,
      variants: [
        {
          id: 210,
          productId: 112,
          sku: 'MUG-CER-12OZ',
          optionLabel: undefined,
          priceCents: undefined,
          costCents: undefined,
          upc: '0036000291452',
        },
      ],
    },
    {
      id: 113,
      name: 'Grey Hoodie L',
      sku: 'HOODIE-GRY-L',
      priceCents: 5900,
      costCents: 2400,
      tracking: 'product',
      brandId: 35,
      categories: [18, 20],
      baseVariantId: 211,
      modifiedAt: seededAt,
      variants: [{ id: 211, productId: 113, sku: 'HOODIE-GRY-L', optionLabel: undefined, priceCents: undefined, costCents: undefined }],
    },
    {
      id: 114,
      name: 'Navy Cap',
      sku: 'CAP-NVY-OS',
      priceCents: 1999,
      costCents: 700,
      tracking: 'product',
      categories: [22],
      baseVariantId: 212,
      modifiedAt: seededAt,
      variants: [{ id: 212, productId: 114, sku: 'CAP-NVY-OS', optionLabel: undefined, priceCents: undefined, costCents: undefined }],
    },
    {
      id: 115,
      name: 'Gift Card $50',
      sku: 'GIFTCARD-50',
      priceCents: 5000,
      costCents: 5000,
      tracking: 'none',
      baseVariantId: 213,
      modifiedAt: seededAt,
      variants: [{ id: 213, productId: 115, sku: 'GIFTCARD-50', optionLabel: undefined, priceCents: undefined, costCents: undefined }],
    },
  ];
  const locations: Location[] = [
    { id: 1, code: 'BC-LOCATION-1', label: 'Default location', isDefault: true },
    { id: 2, code: 'WH-EAST', label: 'East warehouse', isDefault: false },
  ];
  const onHand: [number, number, number][] = [
    [201, 40, 10],
    [202, 55, 12],
    [203, 30, 8],
    [204, 25, 5],
    [210, 120, 40],
    [211, 18, 6],
    [212, 64, 0],
  ];
  const stock: StockLevel[] = onHand.flatMap(([variantId, main, east]) => [
    { variantId, locationId: 1, onHand: main, safetyStock: 0, warningLevel: 5 },
    { variantId, locationId: 2, onHand: east, safetyStock: 0, warningLevel: 5 },
  ]);
  const customers: Customer[] = [
    {
      id: 1,
      email: jane.email,
      firstName: 'Jane',
      lastName: 'Doe',
      company: jane.company,
      phone: jane.phone,
      createdAt: seededAt,
      modifiedAt: seededAt,
      addresses: [
        {
          id: 1,
          address1: jane.street_1,
          address2: '',
          city: jane.city,
          state_or_province: jane.state,
          postal_code: jane.zip,
          country_code: 'US',
          country: 'United States',
        },
      ],
    },
    {
      id: 2,
      email: john.email,
      firstName: 'John',
      lastName: 'Smith',
      company: '',
      phone: john.phone,
      createdAt: seededAt,
      modifiedAt: seededAt,
      addresses: [
        {
          id: 2,
          address1: john.street_1,
          address2: '',
          city: john.city,
          state_or_province: john.state,
          postal_code: john.zip,
          country_code: 'US',
          country: 'United States',
        },
      ],
    },
    {
      id: 3,
      email: maria.email,
      firstName: 'Maria',
      lastName: 'Garcia',
      company: maria.company,
      phone: maria.phone,
      createdAt: seededAt,
      modifiedAt: seededAt,
      addresses: [],
    },
  ];
  const line = (
    id: number,
    productId: number,
    variantId: number,
    name: string,
    sku: string,
    price: number,
    quantity: number,
    orderAddressId: number,
    shipped = 0,
  ) => ({
    id,
    productId,
    variantId,
    name,
    sku,
    unitPriceExTaxCents: price,
    unitTaxCents: tax(price),
    quantity,
    quantityShipped: shipped,
    quantityRefunded: 0,
    orderAddressId,
  });
  const base = (id: number, customerId: number, statusId: number, billing: Address, day: number): Order => ({
    id,
    customerId,
    statusId,
    createdAt: new Date(Date.UTC(2026, 0, day, 14, 5, 0)),
    modifiedAt: new Date(Date.UTC(2026, 0, day, 14, 5, 0)),
    shippedAt: undefined,
    currency: 'USD',
    billing,
    staffNotes: '',
    customerMessage: '',
    paymentMethod: 'Test Payment Gateway',
    paymentStatus: 'captured',
    discountCents: 0,
    lines: [],
    addresses: [],
    coupons: [],
    shipments: [],
    transactions: [],
    refunds: [],
    refundedCents: 0,
    isDeleted: false,
  });
  const shipTo = (id: number, to: Address) => ({ ...to, id, shippingMethod: 'Flat Rate', costExTaxCents: 800, costTaxCents: 0 });

  const o100 = base(100, 1, 11, jane, 6);
  o100.addresses = [shipTo(1, jane)];
  o100.lines = [
    line(1, 111, 202, 'Classic Tee', 'TSHIRT-BLK-M', 2400, 2, 1),
    line(2, 112, 210, 'Ceramic Mug 12 oz', 'MUG-CER-12OZ', 1450, 1, 1),
  ];
  const o101 = base(101, 2, 7, john, 7);
  o101.paymentStatus = 'pending';
  o101.addresses = [shipTo(2, john)];
  o101.lines = [line(3, 114, 212, 'Navy Cap', 'CAP-NVY-OS', 1999, 1, 2)];
  const o102 = base(102, 0, 2, guest, 8);
  o102.addresses = [shipTo(3, guest)];
  o102.lines = [line(4, 111, 204, 'Classic Tee', 'TSHIRT-WHT-M', 2600, 1, 3, 1)];
  o102.coupons = [{ id: 1, couponId: 7, code: 'WELCOME5', type: 2, amount: 5, discountCents: 500 }];
  o102.shippedAt = new Date(Date.UTC(2026, 0, 9, 10, 0, 0));
  o102.shipments = [
    {
      id: 1,
      orderAddressId: 3,
      createdAt: o102.shippedAt,
      trackingNumber: '1Z999AA10123456784',
      shippingProvider: 'ups',
      trackingCarrier: '',
      trackingLink: '',
      shippingMethod: 'Flat Rate',
      comments: '',
      items: [{ orderProductId: 4, productId: 111, quantity: 1 }],
    },
  ];
  const o103 = base(103, 3, 11, maria, 10);
  o103.addresses = [shipTo(4, maria)];
  o103.lines = [
    line(5, 113, 211, 'Grey Hoodie L', 'HOODIE-GRY-L', 5900, 1, 4),
    line(6, 111, 201, 'Classic Tee', 'TSHIRT-BLK-S', 2400, 3, 4),
  ];
  const modulo = options.extraStock?.modulo ?? 89;
  const driftEvery = options.extraStock?.driftEvery;
  for (let index = 1; index <= (options.extraProducts ?? 0); index += 1) {
    const sku = `SKU-${String(index).padStart(6, '0')}`;
    const [productId, variantId] = [100_000 + index, 300_000 + index];
    products.push({
      id: productId,
      name: `Catalogue item ${index}`,
      sku,
      priceCents: 1000,
      costCents: 400,
      tracking: 'product',
      baseVariantId: variantId,
      modifiedAt: seededAt,
      variants: [{ id: variantId, productId, sku, optionLabel: undefined, priceCents: undefined, costCents: undefined }],
    });
    const drifted = driftEvery !== undefined && index % driftEvery === 0;
    stock.push(
      { variantId, locationId: 1, onHand: (index + (drifted ? 1 : 0)) % modulo, safetyStock: 0, warningLevel: 0 },
      { variantId, locationId: 2, onHand: 0, safetyStock: 0, warningLevel: 0 },
    );
  }
  return {
    products,
    locations,
    stock,
    customers,
    orders: [o100, o101, o102, o103],
    priceLists: [{ id: 1, name: 'Wholesale', active: true, customerGroupId: 2, records: [] }],
    brands: [
      { id: 35, name: 'Trailhead' },
      { id: 36, name: 'Harbor Goods' },
    ],
    categories: [
      { id: 18, parentId: 0, treeId: 1, name: 'Apparel' },
      { id: 19, parentId: 18, treeId: 1, name: 'Tees' },
      { id: 20, parentId: 18, treeId: 1, name: 'Hoodies' },
      { id: 21, parentId: 0, treeId: 1, name: 'Kitchen' },
      { id: 22, parentId: 0, treeId: 1, name: 'Accessories' },
    ],
  };
}
