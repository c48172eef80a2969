import type { OrderForAnomalyCheck } from '../../decisions/order-anomalies.js';
import { seededRandom } from './mapping-labelled-set.js';

/**
 * A tenant's order history for the anomaly checks, generated from a seed: 200 items at steady
 * prices (one line in ten on sale at up to −30 %), quantities mostly 1–3, returning and new
 * customers, one order in twenty shipped abroad; and orders with injected errors: a price typed
 * with the decimal point moved (×10, ÷10, ×100), a quantity with a zero too many (×10 to ×50),
 * a burst of orders from one email.
 */

/** An order with what was injected into it (undefined: a normal order). */
export interface GeneratedOrder {
  order: OrderForAnomalyCheck;
  injected?: 'priceEntry' | 'quantityEntry' | 'velocity';
}

const hour = 3_600_000;

export function generateOrderHistory(options: { historyOrders: number; normalOrders: number; injectedEach: number; seed?: number }): {
  history: OrderForAnomalyCheck[];
  probes: GeneratedOrder[];
} {
  const random = seededRandom(options.seed ?? 7);
  const items = Array.from({ length: 200 }, (_, index) => ({ sku: `SKU-${index}`, price: 500 + Math.floor(random() * 19_500) }));
  const customers = Array.from({ length: 1_000 }, (_, index) => `shopper${index}@example.com`);
  const countries = ['US', 'GB', 'DE', 'FR', 'CA'];
  let clock = Date.parse('2026-06-01T00:00:00Z');
  let sequence = 0;

  const quantity = () => {
    const draw = random();
    return draw < 0.7 ? 1 : draw < 0.9 ? 2 : draw < 0.98 ? 3 : 4 + Math.floor(random() * 3);
  };
  const normalOrder = (customerPool: number): OrderForAnomalyCheck => {
    clock += Math.floor(random() * 2 * hour);
    const lineCount = 1 + Math.floor(random() * random() * 4);
    const lines = Array.from({ length: lineCount }, () => {
      const item = items[Math.floor(random() * random() * items.length)]!;
      const onSale = random() < 0.1 ? 0.7 + random() * 0.3 : 1;
      return { sku: item.sku, unitPrice: Math.round(item.price * onSale), quantity: quantity() };
    });
    const country = countries[Math.floor(random() * random() * countries.length)]!;
    const abroad = random() < 0.05 ? countries[(countries.indexOf(country) + 1) % countries.length]! : country;
    return {
      orderId: String(++sequence),
      placedAt: new Date(clock).toISOString(),
      currency: 'USD',
      total: lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0),
      customerKey: customers[Math.floor(random() * customerPool)]!,
      billingCountry: country,
      shippingCountry: abroad,
      lines,
    };
  };
  const withTotal = (order: OrderForAnomalyCheck): OrderForAnomalyCheck => ({
    ...order,
    total: order.lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0),
  });

  // The history draws on 800 customers; later orders also come from 200 new ones.
  const history = Array.from({ length: options.historyOrders }, () => normalOrder(800));
  const probes: GeneratedOrder[] = Array.from({ length: options.normalOrders }, () => ({ order: normalOrder(customers.length) }));
  for (let index = 0; index < options.injectedEach; index += 1) {
    const priced = normalOrder(customers.length);
    const slip = [10, 0.1, 100][Math.floor(random() * 3)]!;
    const [pricedLine, ...pricedRest] = priced.lines;
    const pricedLines = [{ ...pricedLine!, unitPrice: Math.round(pricedLine!.unitPrice * slip) }, ...pricedRest];
    probes.push({ order: withTotal({ ...priced, lines: pricedLines }), injected: 'priceEntry' });

    const counted = normalOrder(customers.length);
    const [countedLine, ...countedRest] = counted.lines;
    const countedLines = [{ ...countedLine!, quantity: countedLine!.quantity * (10 + Math.floor(random() * 41)) }, ...countedRest];
    probes.push({ order: withTotal({ ...counted, lines: countedLines }), injected: 'quantityEntry' });
  }
  // Bursts: the history holds four orders from one email in the last hour; the probe is the fifth.
  for (let index = 0; index < Math.ceil(options.injectedEach / 5); index += 1) {
    const email = `burst${index}@example.net`;
    const last = clock;
    for (let earlier = 4; earlier >= 1; earlier -= 1)
      history.push({ ...normalOrder(800), customerKey: email, placedAt: new Date(last - earlier * 600_000).toISOString() });
    probes.push({ order: { ...normalOrder(800), customerKey: email, placedAt: new Date(last).toISOString() }, injected: 'velocity' });
  }
  return { history, probes };
}
