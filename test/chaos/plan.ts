/**
 * The chaos run's orders, generated from the seed: which storefront, who buys, what, with
 * which coupon and currency, gift wrapping, and what the merchant does to the order
 * afterwards. The same seed gives the same plan; what the product must make of each order is
 * read back from the stores' own state at the end, not from this plan.
 */
import { seededRandom } from '../../sandbox/seeded-random.js';
import type { PersonalDataItem } from './personal-data-scan.js';

/** What happens to an order after it is placed. */
export type OrderStory =
  /** Placed paid, in a status that syncs. */
  | 'paid'
  /** Placed waiting (pending), later moved to a status that syncs. */
  | 'pending-then-ready'
  /** Placed paid, later cancelled by the merchant (the document must go, the payment be reversed). */
  | 'cancelled-after-posting'
  /** Placed waiting, cancelled before it ever synced. */
  | 'cancelled-while-pending';

/** How an order placed authorised only (the gateway's `authorize_only`) is settled after posting. */
export type PaymentAfterPosting =
  /** The whole authorisation captured at once (V3 `payment_actions/capture`). */
  | 'capture'
  /** Captured in two parts: a partial amount in the gateway's dashboard, then the rest. */
  | 'capture-in-two-parts'
  /** The authorisation voided: nothing is ever captured. */
  | 'void';

/** An edit of a line before anything is invoiced, by the line's position in the order. */
export interface LineEdit {
  line: number;
  quantity?: number;
  /** The new unit price, excluding tax, as the store takes it (`price_ex_tax`). */
  priceExTax?: string;
}

/**
 * What the merchant does once Intacct holds the order's sales document, in this order: edits
 * lines (then waits for the sales order to follow), settles an authorised payment (then waits
 * for Intacct's payments), ships in parts. Only orders that are not cancelled have any.
 */
export interface AfterPosting {
  edits?: LineEdit[];
  payment?: PaymentAfterPosting;
  /** Two or three shipments, each the units it carries per line position; together they ship every unit (after the edits). */
  shipments?: Array<Array<{ line: number; quantity: number }>>;
}

export interface BigCommerceOrderPlan {
  storefront: 'bigcommerce';
  index: number;
  story: OrderStory;
  /** `POST /v2/orders` body. */
  body: Record<string, unknown>;
  /** Placed while the store's gateway only authorises (a `paid` order whose {@link AfterPosting.payment} settles it). */
  authoriseOnly: boolean;
  /** Placed while the store's prices include VAT (`fidelity` mix): the VAT is extracted from the prices, not added. */
  pricesIncludeVat?: true;
  /** After placing: status changes and their delay. */
  followUps: Array<{ afterMs: number; statusId: number }>;
  afterPosting: AfterPosting;
}

export interface ClarityOrderPlan {
  storefront: 'clarity';
  index: number;
  story: OrderStory;
  /** `POST /_sandbox/orders` body (a checkout). */
  body: Record<string, unknown>;
  followUps: Array<{ afterMs: number; status: 'processing' | 'cancelled' }>;
  /** Clarity has no authorise-only gateway nor order edits in its contract: only shipments. */
  afterPosting: Pick<AfterPosting, 'shipments'>;
}

export type OrderPlan = BigCommerceOrderPlan | ClarityOrderPlan;

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: () => number, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

const firstNames = [
  'Ada',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hugo',
  'Iris',
  'Jonas',
  'Keiko',
  'Liam',
  'Mina',
  'Noah',
  'Olga',
  'Priya',
];
const lastNames = [
  'Adams',
  'Brown',
  'Chen',
  'Dubois',
  'Evans',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Müller',
  "O'Brien",
  'Patel',
  'Rossi',
];
const places: Array<{ street: string; city: string; state: string; region: string; zip: string }> = [
  { street: '12 Market St', city: 'Austin', state: 'Texas', region: 'TX', zip: '78701' },
  { street: '400 Pine Ave', city: 'Denver', state: 'Colorado', region: 'CO', zip: '80202' },
  { street: '9 Harbor Rd', city: 'Portland', state: 'Oregon', region: 'OR', zip: '97205' },
  { street: '77 Elm Blvd, Apt 4', city: 'Chicago', state: 'Illinois', region: 'IL', zip: '60606' },
  { street: '1 Main Street', city: 'Boston', state: 'Massachusetts', region: 'MA', zip: '02108' },
];

/** BigCommerce's demo catalogue: product, variant (for the option product), as the sandbox seeds it. */
const bigCommerceLines: Array<{ product_id: number; variant_id?: number }> = [
  { product_id: 111, variant_id: 201 },
  { product_id: 111, variant_id: 202 },
  { product_id: 111, variant_id: 204 },
  { product_id: 112 },
  { product_id: 113 },
  { product_id: 114 },
  { product_id: 115 },
];
/** The store's registered customers (ids 1–3) and their emails; 0 is a guest. */
const bigCommerceCustomers = [
  { id: 1, first: 'Jane', last: 'Doe', email: 'jane.doe@example.com' },
  { id: 2, first: 'John', last: 'Smith', email: 'john.smith@example.com' },
  { id: 3, first: 'Maria', last: 'Garcia', email: 'maria.garcia@example.com' },
];

/** Clarity's sellable SKUs (the discontinued poster left out) and its registered customers. */
export const claritySkus = [
  'TSHIRT-BLK-M',
  'TSHIRT-BLK-L',
  'TSHIRT-WHT-M',
  'HOODIE-GRY-L',
  'MUG-WHT-11OZ',
  'MUG-BLK-15OZ',
  'CAP-NVY-OS',
  'TOTE-NAT-OS',
  'STICKER-PACK-5',
] as const;
const clarityCustomers = ['CU-2001', 'CU-2002', 'CU-2003'];
const clarityCoupons = ['SPRING10', 'WELCOME5', 'FREESHIP'];

function story(random: () => number): OrderStory {
  const roll = random();
  if (roll < 0.7) return 'paid';
  if (roll < 0.88) return 'pending-then-ready';
  if (roll < 0.96) return 'cancelled-after-posting';
  return 'cancelled-while-pending';
}

/** Shares of the orders that are not cancelled. */
const shares = { shippedInParts: 0.35, authorisedOnly: 0.3, edited: 0.25 };

/** The share of BigCommerce orders the shopper has gift wrapped, and what the store charges for it (untaxed). */
const giftWrapping = { share: 0.3, costs: ['2.50', '4.95', '7.00'] } as const;

/**
 * The share of BigCommerce orders placed while the store's prices include VAT, and the store's
 * VAT rate then (on every product; shipping and gift wrapping untaxed).
 */
export const vatInclusive = { share: 0.2, rate: { name: 'VAT 20 %', ratePercent: '20' } } as const;

/**
 * Whether a BigCommerce order is placed with prices including VAT. Drawn from a stream of its
 * own, after the others, so a seed's other draws are what they were; only for orders the
 * merchant does not edit (the store's order edit takes prices excluding tax).
 */
export function pricesIncludeVatOf(random: () => number, edited: boolean): boolean {
  return random() < vatInclusive.share && !edited;
}

/**
 * Gift wrapping for a BigCommerce order (`wrapping_cost_ex_tax`), or undefined. Drawn from a
 * stream of its own, after the others, so a seed's stories, lines, timings and after-posting
 * acts are those it had before wrapping was added.
 */
export function giftWrappingOf(random: () => number): string | undefined {
  return random() < giftWrapping.share ? pick(random, giftWrapping.costs) : undefined;
}

/**
 * The share of BigCommerce orders of two lines or more the shopper ships to two addresses (the
 * store's multi-address checkout): some lines to their own address, the others to someone else's.
 */
const twoAddresses = { share: 0.2, secondMethod: 'Express' } as const;

/** Where a BigCommerce order ships when it ships to two addresses: the second address, and which address (0 or 1) each line ships to. */
export interface SecondConsignment {
  address: Record<string, string>;
  lineAddresses: number[];
}

/**
 * A second consignment for a BigCommerce order of `lineCount` lines, or undefined when it ships
 * to one address: the first line ships to the shopper, the last to the second address, any
 * between to either. Drawn from a stream of its own, the same draws for every order, so a
 * seed's other draws are what they were.
 */
export function secondConsignmentOf(random: () => number, lineCount: number): SecondConsignment | undefined {
  const drawn = random() < twoAddresses.share;
  const place = pick(random, places);
  const first = pick(random, firstNames);
  const last = pick(random, lastNames);
  // Orders have at most four lines: two between the first and the last.
  const middle = [random(), random()].slice(0, Math.max(0, lineCount - 2)).map((roll) => (roll < 0.5 ? 0 : 1));
  if (!drawn || lineCount < 2) return undefined;
  return {
    address: {
      first_name: first,
      last_name: last,
      street_1: place.street,
      city: place.city,
      state: place.state,
      zip: place.zip,
      country: 'United States',
      country_iso2: 'US',
      shipping_method: twoAddresses.secondMethod,
    },
    lineAddresses: [0, ...middle, 1],
  };
}

/**
 * The order's shipments as the warehouse sends them: a shipment is one consignment's (the store
 * refuses lines of another address), so a planned part carrying lines of both addresses goes as
 * two shipments, the first address's first. The planned parts for an order shipped to one address.
 */
export function consignmentShipments(plan: OrderPlan): AfterPosting['shipments'] {
  const { shipments } = plan.afterPosting;
  if (shipments === undefined || plan.storefront !== 'bigcommerce') return shipments;
  const addressOf = (line: number) => (plan.body.products as Array<{ shipping_address_index?: number }>)[line]?.shipping_address_index ?? 0;
  return shipments.flatMap((shipment) =>
    [0, 1].map((address) => shipment.filter((item) => addressOf(item.line) === address)).filter((part) => part.length > 0),
  );
}

/**
 * Splits the lines' units into two or three shipments, each carrying at least one unit, in
 * the lines' order (a line may be split across shipments). Undefined when there are fewer
 * than two units to ship.
 */
export function shipmentsOf(random: () => number, quantities: readonly number[]): AfterPosting['shipments'] {
  const units = quantities.flatMap((quantity, line) => Array.from({ length: quantity }, () => line));
  if (units.length < 2) return undefined;
  const parts = Math.min(units.length, between(random, 2, 3));
  // Cut points: parts - 1 distinct positions in 1..units-1.
  const cuts = new Set<number>();
  while (cuts.size < parts - 1) cuts.add(between(random, 1, units.length - 1));
  const bounds = [0, ...[...cuts].sort((a, b) => a - b), units.length];
  return bounds.slice(1).map((end, part) => {
    const carried = new Map<number, number>();
    for (const line of units.slice(bounds[part], end)) carried.set(line, (carried.get(line) ?? 0) + 1);
    return [...carried].map(([line, quantity]) => ({ line, quantity }));
  });
}

/** A quantity or a price change on one or two lines; quantities stay at least 1. */
function editsOf(random: () => number, quantities: number[]): LineEdit[] {
  const edits: LineEdit[] = [];
  const lines = between(random, 1, Math.min(2, quantities.length));
  for (let line = 0; line < lines; line += 1) {
    if (random() < 0.5) {
      const quantity = Math.max(1, quantities[line]! + pick(random, [-1, 1, 2]));
      quantities[line] = quantity;
      edits.push({ line, quantity });
    } else edits.push({ line, priceExTax: pick(random, ['7.25', '19.99', '30.00', '42.50']) });
  }
  return edits;
}

/**
 * What happens after posting, drawn from its own stream of the seed so the orders themselves
 * (stories, lines, customers) are the same as before these were added.
 */
function afterPostingOf(random: () => number, storefront: OrderPlan['storefront'], kind: OrderStory, quantities: number[]) {
  const afterPosting: AfterPosting = {};
  let authoriseOnly = false;
  if (kind.startsWith('cancelled')) return { afterPosting, authoriseOnly };
  if (storefront === 'bigcommerce') {
    if (random() < shares.edited) afterPosting.edits = editsOf(random, quantities);
    // Only an order placed at a paid status carries the gateway's authorisation; an edited one is
    // not also authorised (the authorisation would no longer match the order's total).
    if (kind === 'paid' && afterPosting.edits === undefined && random() < shares.authorisedOnly) {
      authoriseOnly = true;
      afterPosting.payment = pick(random, ['capture', 'capture', 'capture-in-two-parts', 'capture-in-two-parts', 'void'] as const);
    }
  }
  if (random() < shares.shippedInParts) {
    const shipments = shipmentsOf(random, quantities);
    if (shipments) afterPosting.shipments = shipments;
  }
  return { afterPosting, authoriseOnly };
}

/**
 * Which orders a run places: `classic`, the mix every run had before issue 17; `fidelity`, the
 * same orders with gift wrapping on a share of BigCommerce's, a share placed with prices
 * including VAT and a share shipped to two addresses, for a tenant set up to post tax per line,
 * wrapping as a line, digital goods to a second entity and each line's own ship-to
 * (`order-fidelity.ts`).
 */
export type OrderMix = 'classic' | 'fidelity';

/** `count` orders, about half on each storefront, from `seed`. */
export function planOrders(count: number, seed: number, mix: OrderMix = 'fidelity'): OrderPlan[] {
  const random = seededRandom(seed);
  const afterPostingRandom = seededRandom(seed ^ 0x5a1e5);
  const giftWrappingRandom = seededRandom(seed ^ 0x91f7);
  const vatRandom = seededRandom(seed ^ 0x7a7c);
  const consignmentRandom = seededRandom(seed ^ 0x2ad5);
  const plans: OrderPlan[] = [];
  for (let index = 0; index < count; index += 1) {
    const place = pick(random, places);
    const first = pick(random, firstNames);
    const last = pick(random, lastNames);
    const guestEmail = `${first}.${last}.${index}@chaos.example`.toLowerCase().replace(/[^a-z0-9.@]/g, '');
    const kind = story(random);
    // Follow-ups come a few seconds later: the first webhooks are still being delivered (three times, scattered).
    const later = between(random, 1_500, 9_000);
    if (random() < 0.5) {
      const customer = random() < 0.4 ? undefined : pick(random, bigCommerceCustomers);
      const lineCount = between(random, 1, 4);
      const products: Array<(typeof bigCommerceLines)[number] & { quantity: number; shipping_address_index?: number }> = Array.from(
        { length: lineCount },
        () => ({ ...pick(random, bigCommerceLines), quantity: between(random, 1, 3) }),
      );
      const body: Record<string, unknown> = {
        customer_id: customer?.id ?? 0,
        status_id: kind === 'paid' || kind === 'cancelled-after-posting' ? 11 : 1,
        billing_address: {
          first_name: customer?.first ?? first,
          last_name: customer?.last ?? last,
          street_1: place.street,
          city: place.city,
          state: place.state,
          zip: place.zip,
          country: 'United States',
          country_iso2: 'US',
          email: customer?.email ?? guestEmail,
        },
        products,
        shipping_cost_ex_tax: pick(random, ['0.00', '8.00', '12.50', '4.99']),
      };
      const wrapping = giftWrappingOf(giftWrappingRandom);
      if (wrapping !== undefined && mix === 'fidelity') body.wrapping_cost_ex_tax = wrapping;
      const consignment = secondConsignmentOf(consignmentRandom, products.length);
      if (consignment !== undefined && mix === 'fidelity') {
        body.shipping_addresses = [body.billing_address, consignment.address];
        for (const [line, product] of products.entries()) product.shipping_address_index = consignment.lineAddresses[line]!;
      }
      const followUps =
        kind === 'paid' ? [] : kind === 'pending-then-ready' ? [{ afterMs: later, statusId: 11 }] : [{ afterMs: later, statusId: 5 }];
      const { afterPosting, authoriseOnly } = afterPostingOf(
        afterPostingRandom,
        'bigcommerce',
        kind,
        products.map((line) => line.quantity),
      );
      const pricesIncludeVat = pricesIncludeVatOf(vatRandom, afterPosting.edits !== undefined) && mix === 'fidelity';
      plans.push({
        storefront: 'bigcommerce',
        index,
        story: kind,
        body,
        authoriseOnly,
        followUps,
        afterPosting,
        ...(pricesIncludeVat && { pricesIncludeVat: true as const }),
      });
    } else {
      const customerId = random() < 0.35 ? undefined : pick(random, clarityCustomers);
      const lineCount = between(random, 1, 3);
      const skus = new Set<string>();
      while (skus.size < lineCount) skus.add(pick(random, claritySkus));
      const body: Record<string, unknown> = {
        lineItems: [...skus].map((sku) => ({ sku, quantity: between(random, 1, 3) })),
        status: kind === 'paid' || kind === 'cancelled-after-posting' ? 'processing' : 'pending',
      };
      if (customerId === undefined) {
        body.email = guestEmail;
        body.shippingAddress = {
          firstName: first,
          lastName: last,
          line1: place.street,
          city: place.city,
          region: place.region,
          postalCode: place.zip,
          country: 'US',
          email: guestEmail,
        };
      } else body.customerId = customerId;
      if (random() < 0.35) body.couponCode = pick(random, clarityCoupons);
      if (random() < 0.2) body.currency = 'EUR';
      const followUps: ClarityOrderPlan['followUps'] =
        kind === 'paid'
          ? []
          : kind === 'pending-then-ready'
            ? [{ afterMs: later, status: 'processing' }]
            : [{ afterMs: later, status: 'cancelled' }];
      const { afterPosting } = afterPostingOf(
        afterPostingRandom,
        'clarity',
        kind,
        (body.lineItems as Array<{ quantity: number }>).map((line) => line.quantity),
      );
      plans.push({ storefront: 'clarity', index, story: kind, body, followUps, afterPosting });
    }
  }
  return plans;
}

/** The address fields of the plans' bodies that identify a shopper (BigCommerce's and Clarity's names for them). */
const personalFields: Record<string, string> = {
  email: 'email',
  first_name: 'first name',
  last_name: 'last name',
  firstName: 'first name',
  lastName: 'last name',
  street_1: 'street',
  street_2: 'street',
  line1: 'street',
  line2: 'street',
  phone: 'phone',
};

/**
 * The shoppers' personal data the orders carry (guests' and registered customers' names, emails,
 * streets and phones, as placed), for the personal-data scan of the histories. Registered Clarity
 * customers are placed by id: their records are the sandbox's, not the plan's.
 */
export function personalDataOf(plans: readonly OrderPlan[]): PersonalDataItem[] {
  const items: PersonalDataItem[] = [];
  const collect = (plan: OrderPlan, where: string, value: unknown) => {
    if (value === null || typeof value !== 'object') return;
    for (const [field, entry] of Object.entries(value)) {
      const what = personalFields[field];
      if (what !== undefined && typeof entry === 'string' && entry !== '')
        items.push({ label: `the ${what} of order ${plan.index} (${plan.storefront}, ${where})`, value: entry });
    }
  };
  for (const plan of plans) {
    collect(plan, 'order', plan.body);
    collect(plan, 'billing address', plan.body.billing_address);
    collect(plan, 'shipping address', plan.body.shippingAddress);
    for (const address of (plan.body.shipping_addresses as unknown[] | undefined) ?? []) collect(plan, 'shipping address', address);
  }
  return items;
}
