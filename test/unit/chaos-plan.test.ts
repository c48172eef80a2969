import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { consignmentShipments, planOrders, shipmentsOf, type BigCommerceOrderPlan, type OrderPlan } from '../chaos/plan.js';
import { seededRandom } from '../../sandbox/seeded-random.js';

/** The units each line of the plan's order has once its edits are made. */
function finalQuantities(plan: OrderPlan): number[] {
  if (plan.storefront === 'clarity') return (plan.body.lineItems as Array<{ quantity: number }>).map((line) => line.quantity);
  const quantities = (plan.body.products as Array<{ quantity: number }>).map((line) => line.quantity);
  for (const edit of plan.afterPosting.edits ?? []) if (edit.quantity !== undefined) quantities[edit.line] = edit.quantity;
  return quantities;
}

describe('planOrders after posting', () => {
  const plans = planOrders(400, 7);

  it('when planned, then the same seed gives the same plan and a share of orders is shipped in parts, authorised, edited', () => {
    expect(planOrders(400, 7)).toEqual(plans);
    const count = (test: (plan: OrderPlan) => boolean) => plans.filter(test).length;
    expect(count((plan) => plan.afterPosting.shipments !== undefined && plan.storefront === 'bigcommerce')).toBeGreaterThan(20);
    expect(count((plan) => plan.afterPosting.shipments !== undefined && plan.storefront === 'clarity')).toBeGreaterThan(20);
    for (const payment of ['capture', 'capture-in-two-parts', 'void'])
      expect(count((plan) => plan.storefront === 'bigcommerce' && plan.afterPosting.payment === payment)).toBeGreaterThan(5);
    expect(count((plan) => plan.storefront === 'bigcommerce' && plan.afterPosting.edits !== undefined)).toBeGreaterThan(20);
  });

  it('when an order is cancelled, then nothing happens to it after posting; an authorised order is a paid, unedited BigCommerce one', () => {
    for (const plan of plans) {
      if (plan.story.startsWith('cancelled')) expect(plan.afterPosting).toEqual({});
      if (plan.storefront === 'bigcommerce') {
        expect(plan.authoriseOnly).toBe(plan.afterPosting.payment !== undefined);
        if (plan.authoriseOnly) {
          expect(plan.story).toBe('paid');
          expect(plan.afterPosting.edits).toBeUndefined();
        }
      } else expect(Object.keys(plan.afterPosting).filter((key) => key !== 'shipments')).toEqual([]);
    }
  });

  it('when an order ships in parts, then two or three shipments together carry every unit of the (edited) order, none empty', () => {
    for (const plan of plans) {
      const shipments = plan.afterPosting.shipments;
      if (shipments === undefined) continue;
      expect(shipments.length === 2 || shipments.length === 3).toBe(true);
      const carried = finalQuantities(plan).map(() => 0);
      for (const shipment of shipments) {
        expect(shipment.length).toBeGreaterThan(0);
        for (const { line, quantity } of shipment) carried[line] = carried[line]! + quantity;
      }
      expect(carried).toEqual(finalQuantities(plan));
    }
  });
});

describe('planOrders gift wrapping', () => {
  const plans = planOrders(400, 7, 'fidelity');
  const wrapping = (plan: OrderPlan) => plan.body.wrapping_cost_ex_tax;

  it('when planned, then a share of BigCommerce orders is gift wrapped at one of the store’s prices, and no Clarity order', () => {
    const bigCommerce = plans.filter((plan) => plan.storefront === 'bigcommerce');
    const wrapped = bigCommerce.filter((plan) => wrapping(plan) !== undefined);
    expect(wrapped.length).toBeGreaterThan(bigCommerce.length * 0.2);
    expect(wrapped.length).toBeLessThan(bigCommerce.length * 0.4);
    for (const plan of wrapped) expect(['2.50', '4.95', '7.00']).toContain(wrapping(plan));
    expect(plans.filter((plan) => plan.storefront === 'clarity' && wrapping(plan) !== undefined)).toEqual([]);
  });

  it('when the classic mix is planned, then no order is gift wrapped', () => {
    expect(planOrders(400, 7, 'classic').filter((plan) => wrapping(plan) !== undefined)).toEqual([]);
  });

  it('when a seed planned before gift wrapping, VAT and second addresses is planned again, then without them its orders, timings and acts are what they were', () => {
    // Fingerprints of planOrders(60, seed) as the plan was before gift wrapping, VAT-inclusive prices and second addresses were drawn.
    const before: Record<number, string> = { 1301: 'ea7b928c701e4323', 1302: '46d654720b62d77e', 7: '2071e7d14c4de159' };
    for (const [seed, fingerprint] of Object.entries(before)) {
      const unwrapped = planOrders(60, Number(seed), 'fidelity').map((plan) => {
        const { wrapping_cost_ex_tax: _wrapping, shipping_addresses: _addresses, ...body } = plan.body;
        if (plan.storefront === 'bigcommerce')
          body.products = (body.products as Array<{ shipping_address_index?: number }>).map(
            ({ shipping_address_index: _address, ...line }) => line,
          );
        const { pricesIncludeVat: _vat, ...rest } = plan as OrderPlan & { pricesIncludeVat?: true };
        return { ...rest, body };
      });
      expect(createHash('sha256').update(JSON.stringify(unwrapped)).digest('hex').slice(0, 16)).toBe(fingerprint);
    }
  });
});

describe('planOrders VAT-inclusive prices', () => {
  const plans = planOrders(400, 7, 'fidelity');
  const inclusive = plans.filter(
    (plan): plan is BigCommerceOrderPlan => plan.storefront === 'bigcommerce' && plan.pricesIncludeVat === true,
  );

  it('when planned, then a share of the BigCommerce orders the merchant does not edit is placed with prices including VAT', () => {
    const bigCommerce = plans.filter((plan) => plan.storefront === 'bigcommerce');
    expect(inclusive.length).toBeGreaterThan(bigCommerce.length * 0.1);
    expect(inclusive.length).toBeLessThan(bigCommerce.length * 0.3);
    for (const plan of inclusive) expect(plan.afterPosting.edits).toBeUndefined();
  });

  it('when the classic mix is planned, then no order has prices including VAT', () => {
    expect(planOrders(400, 7, 'classic').filter((plan) => plan.storefront === 'bigcommerce' && plan.pricesIncludeVat === true)).toEqual([]);
  });
});

describe('planOrders second addresses', () => {
  const plans = planOrders(400, 7, 'fidelity');
  const bigCommerce = plans.filter((plan): plan is BigCommerceOrderPlan => plan.storefront === 'bigcommerce');
  const addressesOf = (plan: OrderPlan) => plan.body.shipping_addresses as Array<Record<string, string>> | undefined;
  const twoAddressed = bigCommerce.filter((plan) => addressesOf(plan) !== undefined);
  const lineAddresses = (plan: OrderPlan) =>
    (plan.body.products as Array<{ shipping_address_index?: number }>).map((line) => line.shipping_address_index);

  it('when planned, then a share of the BigCommerce orders of two lines or more ships to the buyer and to a second address, each line to one', () => {
    const severalLines = bigCommerce.filter((plan) => (plan.body.products as unknown[]).length >= 2);
    expect(twoAddressed.length).toBeGreaterThan(severalLines.length * 0.1);
    expect(twoAddressed.length).toBeLessThan(severalLines.length * 0.3);
    for (const plan of twoAddressed) {
      const [own, other] = addressesOf(plan)!;
      expect(own).toEqual(plan.body.billing_address);
      expect(other).toMatchObject({ country_iso2: 'US', shipping_method: 'Express' });
      expect(new Set(lineAddresses(plan))).toEqual(new Set([0, 1]));
    }
    for (const plan of bigCommerce.filter((candidate) => addressesOf(candidate) === undefined))
      expect(lineAddresses(plan).every((address) => address === undefined)).toBe(true);
  });

  it('when the classic mix is planned, then every order ships to one address', () => {
    expect(planOrders(400, 7, 'classic').filter((plan) => addressesOf(plan) !== undefined)).toEqual([]);
  });

  it('when an order shipped to two addresses ships in parts, then each shipment carries one address’s lines, and together every unit', () => {
    const shippedInParts = twoAddressed.filter((plan) => plan.afterPosting.shipments !== undefined);
    expect(shippedInParts.length).toBeGreaterThan(3);
    for (const plan of shippedInParts) {
      const addresses = lineAddresses(plan);
      const shipments = consignmentShipments(plan)!;
      const carried = finalQuantities(plan).map(() => 0);
      for (const shipment of shipments) {
        expect(shipment.length).toBeGreaterThan(0);
        expect(new Set(shipment.map((item) => addresses[item.line])).size).toBe(1);
        for (const { line, quantity } of shipment) carried[line] = carried[line]! + quantity;
      }
      expect(carried).toEqual(finalQuantities(plan));
    }
    for (const plan of plans.filter((candidate) => addressesOf(candidate) === undefined))
      expect(consignmentShipments(plan)).toEqual(plan.afterPosting.shipments);
  });
});

describe('shipmentsOf', () => {
  it('when there is one unit, then there is nothing to split', () => {
    expect(shipmentsOf(seededRandom(1), [1])).toBeUndefined();
  });

  it('when there are two units of one line, then each of two shipments carries one', () => {
    expect(shipmentsOf(seededRandom(3), [2])).toEqual([[{ line: 0, quantity: 1 }], [{ line: 0, quantity: 1 }]]);
  });
});
