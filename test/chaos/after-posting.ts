import { consignmentShipments, type AfterPosting, type OrderPlan } from './plan.js';
import type { Storefronts } from './storefronts.js';
import { editChangesLineTax, expectedEditOutcome, type EditedStoreLine } from './verify-edits.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cents = (amount: string | number | undefined): number => Math.round(Number(amount ?? 'NaN') * 100);

/** How long the merchant waits for Intacct to follow one step before going on anyway (the verification then names what is missing). */
const followTimeoutMs = 10 * 60_000;

/** Waits (bounded) until `check` holds, looking every few seconds; false when it did not in time. */
async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await pause(3_000);
  }
}

/** Whether the plan has anything for the merchant to do once the order is posted. */
export function hasAfterPosting(plan: OrderPlan): boolean {
  const after: AfterPosting = plan.afterPosting;
  return after.edits !== undefined || after.payment !== undefined || after.shipments !== undefined;
}

/** A BigCommerce order as the store had it just before the merchant's edit: what its sales order must still hold when the edit parks. */
export interface StoreOrderBeforeEdit {
  lines: Array<EditedStoreLine & { shipped: number; productType: string }>;
  totalCents: number;
  taxCents: number;
  wrappingCents: number;
}

/** What the merchant met after posting: the problems (a step the store refused), and the order as it was before an edit. */
export interface ActedAfterPosting {
  problems: string[];
  beforeEdit?: StoreOrderBeforeEdit;
}

/** Where the merchant sees that the product parked an order (the attention queue, through the console). */
export type OpenAttentionCode = (orderId: string) => Promise<string | undefined>;

type StoreProduct = {
  id: number;
  quantity: number;
  quantity_shipped: number;
  price_ex_tax: string;
  total_tax: string;
  type: string;
  order_address_id: number;
};

/** The store's lines as an edit is compared on. */
export function editedStoreLines(products: readonly StoreProduct[]): StoreOrderBeforeEdit['lines'] {
  return products.map((line) => ({
    id: line.id,
    quantity: line.quantity,
    shipped: line.quantity_shipped,
    unitPriceExTaxCents: cents(line.price_ex_tax),
    taxCents: cents(line.total_tax),
    productType: line.type,
  }));
}

/**
 * What the merchant does to a posted order, in the plan's order: edits (then waits until the
 * sales order holds the store's new total, so nothing is invoiced before the edit is followed;
 * or, for an edit that changes the tax of lines taxed per line, until the order is parked as
 * `edit_changes_line_tax`, since the sales order must not follow it), settles the authorisation
 * (then waits until Intacct holds a payment per capture), and ships in parts a few seconds
 * apart, without waiting for the invoices. What Intacct made of it all is the verification's
 * to judge.
 */
export async function actAfterPosting(
  storefronts: Storefronts,
  plan: OrderPlan,
  orderId: string,
  options: { taxedPerLine: boolean; openAttentionCode: OpenAttentionCode },
): Promise<ActedAfterPosting> {
  const problems: string[] = [];
  const about = `${plan.storefront} order ${orderId}`;
  if (!(await storefronts.waitForDocument(orderId, 15 * 60_000)))
    return { problems: [`${about}: no Intacct document to act on after posting`] };
  if (plan.storefront === 'clarity') {
    for (const [part, lines] of (plan.afterPosting.shipments ?? []).entries()) {
      if (part > 0) await pause(1_000 + Math.floor(Math.random() * 3_000));
      const skus = (plan.body.lineItems as Array<{ sku: string }>).map((line) => line.sku);
      await storefronts
        .clarityShip(orderId, {
          shipmentId: `CHAOS-${part + 1}`,
          carrier: 'USPS',
          trackingNumber: `9400CHAOS${orderId.replace(/\W/g, '')}${part + 1}`.slice(0, 64),
          shippedAt: new Date().toISOString(),
          lineItems: lines.map(({ line, quantity }) => ({ sku: skus[line]!, quantity })),
        })
        .catch((error: Error) => problems.push(`${about}: shipment ${part + 1} refused: ${error.message}`));
    }
    return { problems };
  }

  const { edits, payment } = plan.afterPosting;
  const shipments = consignmentShipments(plan);
  const expectOk = async (what: string, answer: Promise<{ status: number; body: unknown }>) => {
    const { status, body } = await answer;
    if (status >= 300) problems.push(`${about}: ${what} answered ${status} ${JSON.stringify(body)}`);
    return status < 300;
  };
  const products = async () => (await storefronts.bigCommerce('GET', `/v2/orders/${orderId}/products`)).body as StoreProduct[];
  const header = async () =>
    (await storefronts.bigCommerce('GET', `/v2/orders/${orderId}`)).body as {
      total_inc_tax: string;
      total_tax: string;
      wrapping_cost_ex_tax?: string;
    };
  let beforeEdit: StoreOrderBeforeEdit | undefined;

  if (edits) {
    const [lines, order] = await Promise.all([products(), header()]);
    beforeEdit = {
      lines: editedStoreLines(lines),
      totalCents: cents(order.total_inc_tax),
      taxCents: cents(order.total_tax),
      wrappingCents: cents(order.wrapping_cost_ex_tax ?? '0'),
    };
    const edited = await expectOk(
      'the edit',
      storefronts.bigCommerce('PUT', `/v2/orders/${orderId}`, {
        // The store takes each edited line's quantity, changed or not.
        products: edits.map((edit) => ({
          id: lines[edit.line]!.id,
          quantity: edit.quantity ?? lines[edit.line]!.quantity,
          ...(edit.priceExTax !== undefined && { price_ex_tax: edit.priceExTax }),
        })),
      }),
    );
    if (edited) {
      const [after, total] = await Promise.all([products(), header().then((order) => cents(order.total_inc_tax))]);
      if (expectedEditOutcome(beforeEdit.lines, editedStoreLines(after), options.taxedPerLine) === 'parked')
        await until(async () => (await options.openAttentionCode(orderId)) === editChangesLineTax, followTimeoutMs);
      else
        await until(
          async () =>
            (await storefronts.intacctRecords('SODOCUMENT')).some(
              (document) => document.PONUMBER === orderId && document.DOCPARID === 'Sales Order' && cents(document.TOTAL) === total,
            ),
          followTimeoutMs,
        );
    }
  }

  if (payment) {
    let captures = 0;
    if (payment === 'void') await expectOk('the void', storefronts.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/void`));
    else {
      if (payment === 'capture-in-two-parts') {
        const order = (await storefronts.bigCommerce('GET', `/v2/orders/${orderId}`)).body as { total_inc_tax: string };
        const first = Math.round(cents(order.total_inc_tax) * 0.4);
        if (
          await expectOk(
            'the partial capture',
            storefronts.bigCommerce('POST', `/_control/orders/${orderId}/capture`, { amount: first / 100 }),
          )
        )
          captures += 1;
        await pause(1_000 + Math.floor(Math.random() * 2_000));
      }
      if (await expectOk('the capture', storefronts.bigCommerce('POST', `/v3/orders/${orderId}/payment_actions/capture`))) captures += 1;
      await until(
        async () =>
          (await storefronts.intacctRecords('ARPYMT')).filter((record) => record.DOCNUMBER?.startsWith(`${orderId}-`)).length >= captures,
        followTimeoutMs,
      );
    }
  }

  if (shipments) {
    const lines = await products();
    for (const [part, carried] of shipments.entries()) {
      if (part > 0) await pause(1_000 + Math.floor(Math.random() * 3_000));
      await expectOk(
        `shipment ${part + 1}`,
        storefronts.bigCommerce('POST', `/v2/orders/${orderId}/shipments`, {
          // Each part is one consignment's: the address its lines ship to.
          order_address_id: lines[carried[0]!.line]!.order_address_id,
          items: carried.map(({ line, quantity }) => ({ order_product_id: lines[line]!.id, quantity })),
          tracking_number: `1ZCHAOS${orderId}${part + 1}`,
          shipping_provider: 'ups',
        }),
      );
    }
  }
  return { problems, ...(beforeEdit !== undefined && { beforeEdit }) };
}
