import { median, medianAbsoluteDeviation, quantile } from 'simple-statistics';

/**
 * Anomaly checks before an order posts, learned from the tenant's own posted orders with robust
 * statistics (median and MAD, so the outliers being looked for do not widen the range they are
 * judged by). Amounts are compared on a log scale: an order of 10× the usual is as odd as one
 * of a tenth, and totals are skewed. Each check is active only once the history it reads is long
 * enough. Pure: the history and the order come in, findings in words go out.
 */

/** The checks, by the name settings and attention items use. */
export const anomalyCheckNames = [
  'totalOutlier',
  'linePriceOutlier',
  'quantityOutlier',
  'firstOrderLarge',
  'countryMismatchHighValue',
  'emailVelocity',
  'unseenCurrency',
] as const;
export type AnomalyCheckName = (typeof anomalyCheckNames)[number];

/** What a check does when it fires: nothing, an informational attention item, or hold for approval. */
export type AnomalyPolicy = 'off' | 'flag' | 'hold';

/** An order as the checks read it: money in minor units of its currency. */
export interface OrderForAnomalyCheck {
  orderId: string;
  placedAt: string;
  currency: string;
  total: number;
  /** The buyer's email in lower case (or the storefront customer id when there is none). */
  customerKey?: string | undefined;
  billingCountry?: string | undefined;
  shippingCountry?: string | undefined;
  lines: ReadonlyArray<{ sku: string; unitPrice: number; quantity: number }>;
}

export interface AnomalyCheckOptions {
  /** Posted orders needed before an order-level check is active (default 30). */
  minimumHistory?: number;
  /** Posted lines of an item needed before its price and quantity are checked (default 10). */
  minimumItemHistory?: number;
  /** Robust z-score on the log scale beyond which an amount is an outlier (default 4). */
  outlierScore?: number;
  /** Orders from one email within {@link velocityWindowMinutes} that make a burst (default 5, this one included). */
  velocityOrders?: number;
  velocityWindowMinutes?: number;
}

/** One check that fired, with the figures an operator needs to judge it. */
export interface AnomalyFinding {
  check: AnomalyCheckName;
  reason: string;
  figures: Record<string, string | number>;
}

/** A robust spread: median and scaled MAD of log values, with a floor so a constant history is not infinitely strict. */
interface LogSpread {
  count: number;
  median: number;
  spread: number;
}

/** The tenant's history, summarised once for many checks. */
export interface AnomalyProfile {
  orders: number;
  currencies: ReadonlySet<string>;
  totals: ReadonlyMap<string, LogSpread>;
  firstOrderTotals: ReadonlyMap<string, LogSpread>;
  highValueTotal: ReadonlyMap<string, number>;
  linePrices: ReadonlyMap<string, LogSpread>;
  lineQuantities: ReadonlyMap<string, LogSpread>;
  /** Each customer's order times in the history, oldest first (for the velocity check). */
  ordersByCustomer: ReadonlyMap<string, readonly number[]>;
}

/** 1.4826 × MAD estimates the standard deviation of normally distributed values. */
const madScale = 1.4826;

function logSpread(values: readonly number[], floor: number): LogSpread {
  const logs = values.filter((value) => value > 0).map(Math.log);
  if (logs.length === 0) return { count: 0, median: 0, spread: floor };
  return { count: logs.length, median: median(logs), spread: Math.max(madScale * medianAbsoluteDeviation(logs), floor) };
}

/**
 * Floors of the spread on the log scale: prices vary little (a sale is −30 %), quantities and
 * totals more. Measured on the generated history (docs/mapping-assistant.md).
 */
const spreadFloors = { total: Math.log(1.5), price: Math.log(1.3), quantity: Math.log(1.6) };

const groupBy = <T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    if (name === undefined) continue;
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return groups;
};

const mapValues = <K, V, W>(map: ReadonlyMap<K, V>, transform: (value: V) => W): Map<K, W> =>
  new Map([...map.entries()].map(([key, value]) => [key, transform(value)]));

/** Summarises the tenant's posted orders (oldest first or in any order). */
export function profileOrderHistory(history: readonly OrderForAnomalyCheck[]): AnomalyProfile {
  const sorted = [...history].sort((a, b) => a.placedAt.localeCompare(b.placedAt));
  const seenCustomers = new Set<string>();
  const firstOrders = sorted.filter((order) => {
    if (order.customerKey === undefined || seenCustomers.has(order.customerKey)) return false;
    seenCustomers.add(order.customerKey);
    return true;
  });
  const byCurrency = groupBy(sorted, (order) => order.currency);
  const lines = sorted.flatMap((order) => order.lines.map((line) => ({ ...line, key: `${order.currency} ${line.sku}` })));
  const byItem = groupBy(lines, (line) => line.key);
  return {
    orders: sorted.length,
    currencies: new Set(byCurrency.keys()),
    totals: mapValues(byCurrency, (orders) =>
      logSpread(
        orders.map((order) => order.total),
        spreadFloors.total,
      ),
    ),
    firstOrderTotals: mapValues(
      groupBy(firstOrders, (order) => order.currency),
      (orders) =>
        logSpread(
          orders.map((order) => order.total),
          spreadFloors.total,
        ),
    ),
    highValueTotal: mapValues(byCurrency, (orders) =>
      quantile(
        orders.map((order) => order.total),
        0.9,
      ),
    ),
    linePrices: mapValues(byItem, (itemLines) =>
      logSpread(
        itemLines.map((line) => line.unitPrice),
        spreadFloors.price,
      ),
    ),
    lineQuantities: mapValues(byItem, (itemLines) =>
      logSpread(
        itemLines.map((line) => line.quantity),
        spreadFloors.quantity,
      ),
    ),
    ordersByCustomer: mapValues(
      groupBy(sorted, (order) => order.customerKey),
      (orders) => orders.map((order) => Date.parse(order.placedAt)),
    ),
  };
}

/** How many spreads above the usual: positive above, negative below. */
const score = (value: number, usual: LogSpread) => (Math.log(Math.max(value, 1)) - usual.median) / usual.spread;
const times = (value: number, usual: LogSpread) => Math.round((value / Math.exp(usual.median)) * 10) / 10;

/**
 * The checks that fire for this order against the tenant's history. Checks whose history is
 * too short stay silent: a new tenant's first orders are not all "unusual".
 */
export function findOrderAnomalies(
  order: OrderForAnomalyCheck,
  profile: AnomalyProfile,
  options: AnomalyCheckOptions = {},
): AnomalyFinding[] {
  const minimum = options.minimumHistory ?? 30;
  const threshold = options.outlierScore ?? 4;
  const findings: AnomalyFinding[] = [];
  const enough = (spread: LogSpread | undefined): spread is LogSpread => spread !== undefined && spread.count >= minimum;
  const minimumItem = options.minimumItemHistory ?? 10;
  const enoughForItem = (spread: LogSpread | undefined): spread is LogSpread => spread !== undefined && spread.count >= minimumItem;

  const totals = profile.totals.get(order.currency);
  if (enough(totals) && Math.abs(score(order.total, totals)) > threshold)
    findings.push({
      check: 'totalOutlier',
      reason: `the order's total is ${times(order.total, totals)}× the tenant's usual ${order.currency} total`,
      figures: {
        total: order.total,
        usualTotal: Math.round(Math.exp(totals.median)),
        score: Math.round(score(order.total, totals) * 10) / 10,
      },
    });

  for (const line of order.lines) {
    const key = `${order.currency} ${line.sku}`;
    const price = profile.linePrices.get(key);
    if (enoughForItem(price) && Math.abs(score(line.unitPrice, price)) > threshold)
      findings.push({
        check: 'linePriceOutlier',
        reason: `${line.sku} is priced at ${times(line.unitPrice, price)}× its usual price`,
        figures: { sku: line.sku, unitPrice: line.unitPrice, usualPrice: Math.round(Math.exp(price.median)) },
      });
    const quantity = profile.lineQuantities.get(key);
    if (enoughForItem(quantity) && score(line.quantity, quantity) > threshold)
      findings.push({
        check: 'quantityOutlier',
        reason: `${line.sku} is ordered ${line.quantity} times, ${times(line.quantity, quantity)}× its usual quantity`,
        figures: { sku: line.sku, quantity: line.quantity, usualQuantity: Math.round(Math.exp(quantity.median) * 10) / 10 },
      });
  }

  const firstOrders = profile.firstOrderTotals.get(order.currency);
  const isFirstOrder = order.customerKey !== undefined && !profile.ordersByCustomer.has(order.customerKey);
  if (isFirstOrder && enough(firstOrders) && score(order.total, firstOrders) > threshold - 1)
    findings.push({
      check: 'firstOrderLarge',
      reason: `a new customer's first order is ${times(order.total, firstOrders)}× a usual first order`,
      figures: { total: order.total, usualFirstOrder: Math.round(Math.exp(firstOrders.median)) },
    });

  const highValue = profile.highValueTotal.get(order.currency);
  const countriesDiffer =
    order.billingCountry !== undefined && order.shippingCountry !== undefined && order.billingCountry !== order.shippingCountry;
  if (countriesDiffer && enough(totals) && highValue !== undefined && order.total > highValue)
    findings.push({
      check: 'countryMismatchHighValue',
      reason: `billed to ${order.billingCountry} but shipped to ${order.shippingCountry}, for more than 9 in 10 of the tenant's orders`,
      figures: {
        total: order.total,
        highValueFrom: Math.round(highValue),
        billingCountry: order.billingCountry!,
        shippingCountry: order.shippingCountry!,
      },
    });

  const burst = options.velocityOrders ?? 5;
  const windowMs = (options.velocityWindowMinutes ?? 60) * 60_000;
  if (order.customerKey !== undefined) {
    const placed = Date.parse(order.placedAt);
    const recent = (profile.ordersByCustomer.get(order.customerKey) ?? []).filter((at) => at <= placed && placed - at < windowMs).length;
    if (recent + 1 >= burst)
      findings.push({
        check: 'emailVelocity',
        reason: `${recent + 1} orders from this customer within ${windowMs / 60_000} minutes`,
        figures: { orders: recent + 1, windowMinutes: windowMs / 60_000 },
      });
  }

  if (profile.orders >= minimum && !profile.currencies.has(order.currency))
    findings.push({
      check: 'unseenCurrency',
      reason: `the tenant has never posted an order in ${order.currency}`,
      figures: { currency: order.currency, knownCurrencies: [...profile.currencies].sort().join(', ') },
    });
  return findings;
}

/** What the policies make of the findings: hold when any held check fired, else flag the flagged ones. */
export function decideAnomalyAction(
  findings: readonly AnomalyFinding[],
  policies: Partial<Record<AnomalyCheckName, AnomalyPolicy>>,
): { action: 'post' } | { action: 'flag' | 'hold'; findings: AnomalyFinding[] } {
  const active = findings.filter((finding) => (policies[finding.check] ?? 'off') !== 'off');
  if (active.length === 0) return { action: 'post' };
  return { action: active.some((finding) => policies[finding.check] === 'hold') ? 'hold' : 'flag', findings: active };
}
