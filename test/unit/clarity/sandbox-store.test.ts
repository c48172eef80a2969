import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, fromCents, toCents } from '../../../sandbox/clarity/money.js';
import { orderToWire } from '../../../sandbox/clarity/records.js';
import { seedSkus, seedStore } from '../../../sandbox/clarity/seed.js';
import { ClarityStore } from '../../../sandbox/clarity/store.js';
import type { EventType } from '../../../sandbox/clarity/records.js';

function seededStore() {
  const store = new ClarityStore(() => Date.parse('2026-11-20T12:00:00Z'));
  seedStore(store);
  const events: { type: EventType; data: Record<string, unknown> }[] = [];
  store.announceWith((type, data) => events.push({ type, data }));
  return { store, events };
}

describe('Clarity sandbox money', () => {
  it.each([
    ['0.00', 0],
    ['129.99', 12999],
    ['-5.01', -501],
  ])('when %s is read then it is %i cents and written back the same', (text, cents) => {
    expect(toCents(text)).toBe(cents);
    expect(fromCents(cents)).toBe(text);
  });

  it('when a discount is allocated then the parts always sum to it, largest remainder first', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const parts = allocate(total, weights);
          expect(parts.reduce((sum, part) => sum + part, 0)).toBe(total);
          expect(parts.every((part) => part >= 0)).toBe(true);
        },
      ),
    );
  });
});

describe('Clarity sandbox store', () => {
  it('when any checkout happens then lines, header and payment balance to the cent', () => {
    const activeSkus = seedSkus.filter((sku) => sku !== 'POSTER-CITY-A2');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...activeSkus), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 5, maxLength: 5 }),
        fc.constantFrom(null, 'SPRING10', 'WELCOME5', 'FREESHIP'),
        (skus, quantities, couponCode) => {
          const { store } = seededStore();
          const wire = orderToWire(
            store.checkout({
              customerId: 'CU-2001',
              lineItems: skus.map((sku, index) => ({ sku, quantity: quantities[index]! })),
              couponCode,
            }),
          ) as {
            subtotalAmount: string;
            discountAmount: string;
            shippingAmount: string;
            taxAmount: string;
            totalAmount: string;
            paymentInfo: { amount: string };
            lineItems: { quantity: number; unitPrice: string; discount: string; tax: string; lineTotal: string }[];
          };
          const lines = wire.lineItems;
          expect(lines.reduce((sum, line) => sum + line.quantity * toCents(line.unitPrice), 0)).toBe(toCents(wire.subtotalAmount));
          expect(lines.reduce((sum, line) => sum + toCents(line.discount), 0)).toBe(toCents(wire.discountAmount));
          expect(lines.reduce((sum, line) => sum + toCents(line.tax), 0)).toBe(toCents(wire.taxAmount));
          for (const line of lines)
            expect(toCents(line.lineTotal)).toBe(line.quantity * toCents(line.unitPrice) - toCents(line.discount) + toCents(line.tax));
          expect(toCents(wire.totalAmount)).toBe(
            toCents(wire.subtotalAmount) - toCents(wire.discountAmount) + toCents(wire.shippingAmount) + toCents(wire.taxAmount),
          );
          expect(wire.paymentInfo.amount).toBe(wire.totalAmount);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('when a checkout happens then stock goes down and order.created is announced; seeding announced nothing', () => {
    const { store, events } = seededStore();
    const before = store.product('CAP-NVY-OS').available;
    const order = store.checkout({ customerId: 'CU-2002', lineItems: [{ sku: 'CAP-NVY-OS', quantity: 2 }] });
    expect(store.product('CAP-NVY-OS').available).toBe(before - 2);
    expect(events.map((event) => [event.type, event.data.orderId])).toEqual([['order.created', order.orderId]]);
  });

  it.each([
    ['an unknown SKU', { lineItems: [{ sku: 'NOPE', quantity: 1 }] }, 'lineItems[0].sku'],
    ['a discontinued product', { lineItems: [{ sku: 'POSTER-CITY-A2', quantity: 1 }] }, 'lineItems[0].sku'],
    ['more than is in stock', { lineItems: [{ sku: 'HOODIE-GRY-L', quantity: 999 }] }, 'lineItems[0].quantity'],
    ['an inactive coupon', { lineItems: [{ sku: 'CAP-NVY-OS', quantity: 1 }], couponCode: 'SUMMER20' }, 'couponCode'],
  ])('when a checkout has %s then it is refused naming the field', (_case, input, field) => {
    const { store, events } = seededStore();
    expect(() => store.checkout({ customerId: 'CU-2001', ...input })).toThrow(
      expect.objectContaining({ status: 422, errors: [expect.objectContaining({ field })] }),
    );
    expect(events).toEqual([]);
  });

  it("when a customer in a group checks out, then the order carries the group as it was at checkout and each line its product's type", () => {
    const { store } = seededStore();
    const wholesale = store.checkout({
      customerId: 'CU-2002',
      lineItems: [
        { sku: 'MUG-WHT-11OZ', quantity: 1 },
        { sku: 'CAP-NVY-OS', quantity: 1 },
      ],
    });
    store.updateCustomer('CU-2002', { customerGroup: 'retail' });
    const wire = orderToWire(wholesale) as { customerGroup: string | null; lineItems: Array<{ productType: string | null }> };
    expect(wire.customerGroup).toBe('wholesale');
    expect(wire.lineItems.map((line) => line.productType)).toEqual(['drinkware', 'accessories']);
    const guest = orderToWire(
      store.checkout({
        email: 'walk.in@example.org',
        shippingAddress: store.customers.get('CU-2001')!.addresses[0]!,
        lineItems: [{ sku: 'TOTE-NAT-OS', quantity: 1 }],
      }),
    );
    expect(guest).toMatchObject({ customerGroup: null });
  });

  it('when an order goes backwards then the status change is refused with 409', () => {
    const { store } = seededStore();
    expect(() => store.setOrderStatus('CO-100003', 'processing')).toThrow(expect.objectContaining({ status: 409 }));
    expect(store.setOrderStatus('CO-100002', 'processing').payment.status).toBe('captured');
  });

  it('when stock is pushed then nothing is announced, but a merchant edit is', () => {
    const { store, events } = seededStore();
    store.setInventory('TSHIRT-BLK-M', 7);
    expect(events).toEqual([]);
    store.updateProduct('TSHIRT-BLK-M', { price: 2600, name: 'Classic T-Shirt, Black, M' });
    expect(events).toEqual([{ type: 'product.updated', data: expect.objectContaining({ sku: 'TSHIRT-BLK-M', changedFields: ['price'] }) }]);
  });

  it('when a refunded return is created then its refund balances, a refund transaction exists and stock is restocked', () => {
    const { store } = seededStore();
    const before = store.product('TSHIRT-BLK-M').available;
    const record = store.createReturn({
      orderId: 'CO-100001',
      lineItems: [{ sku: 'TSHIRT-BLK-M', quantity: 1, reason: 'too small', restock: true }],
      status: 'refunded',
    });
    const line = store.order('CO-100001').lines.find((candidate) => candidate.sku === 'TSHIRT-BLK-M')!;
    expect(record.refund?.amount).toBe(line.unitPrice - Math.round(line.discount / 2) + Math.round(line.tax / 2));
    expect(store.order('CO-100001').transactions.at(-1)).toMatchObject({ type: 'refund', amount: record.refund?.amount });
    expect(store.product('TSHIRT-BLK-M').available).toBe(before + 1);
    expect(() =>
      store.createReturn({ orderId: 'CO-100001', lineItems: [{ sku: 'TSHIRT-BLK-M', quantity: 2, reason: 'x', restock: false }] }),
    ).toThrow(expect.objectContaining({ status: 422 }));
  });

  it('when an order is only authorised at checkout and captured in two parts, then each capture is a transaction and order.updated tells', () => {
    const { store, events } = seededStore();
    const order = store.checkout({
      customerId: 'CU-2001',
      lineItems: [{ sku: 'CAP-NVY-OS', quantity: 2 }],
      transactionType: 'authorize_only',
    });
    const total = toCents(orderToWire(order).totalAmount as string);
    expect(order.payment.status).toBe('authorized');
    expect(order.transactions.map((t) => t.type)).toEqual(['authorization']);

    expect(store.capturePayment(order.orderId, 1_000).payment.status).toBe('partially_captured');
    expect(() => store.capturePayment(order.orderId, total)).toThrow(expect.objectContaining({ status: 409 }));
    const captured = store.capturePayment(order.orderId);
    expect(captured.payment.status).toBe('captured');
    expect(captured.transactions.filter((t) => t.type === 'capture').map((t) => t.amount)).toEqual([1_000, total - 1_000]);
    expect(captured.payment.transactionId).toBe(captured.transactions.at(-1)!.transactionId);
    expect(events.map((event) => event.type)).toEqual(['order.created', 'order.updated', 'order.updated']);
    expect(() => store.capturePayment(order.orderId)).toThrow(expect.objectContaining({ status: 409 }));
  });

  it('when an authorisation is voided, then nothing can be captured of it', () => {
    const { store, events } = seededStore();
    const order = store.checkout({
      customerId: 'CU-2001',
      lineItems: [{ sku: 'CAP-NVY-OS', quantity: 1 }],
      transactionType: 'authorize_only',
    });
    expect(store.voidPayment(order.orderId).payment.status).toBe('voided');
    expect(order.transactions.map((t) => t.type)).toEqual(['authorization', 'void']);
    expect(() => store.capturePayment(order.orderId)).toThrow(expect.objectContaining({ status: 409 }));
    expect(() => store.voidPayment(order.orderId)).toThrow(expect.objectContaining({ status: 409 }));
    expect(events.map((event) => event.type)).toEqual(['order.created', 'order.updated']);
  });

  it('when a processing order is checked out as usual, then it is captured at checkout', () => {
    const { store } = seededStore();
    const order = store.checkout({ customerId: 'CU-2001', lineItems: [{ sku: 'CAP-NVY-OS', quantity: 1 }] });
    expect(order.payment.status).toBe('captured');
    expect(order.transactions.map((t) => t.type)).toEqual(['authorization', 'capture']);
  });
});
