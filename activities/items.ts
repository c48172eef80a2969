import { findItemsByField, readItems, type IntacctClient } from '../connectors/intacct/index.js';
import type { OrderWithoutContacts } from '../mappers/order-views.js';
import {
  matchIntacctItems,
  resolveOrderItems,
  storefrontItemKey,
  type IntacctItemCandidate,
  type IntacctItemMatch,
} from '../mappers/item-resolution.js';
import type { ItemMappingRow } from '../store/schemas/mapping-tables.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { readMappingRow } from './mapping-rows.js';
import type { ItemResolution, OrderToCashActivities } from '../workflows/order-to-cash-contract.js';

/** Most keys one `readByName` takes; an order with more lines is read in as few requests as fit. */
const keysPerLookup = 100;

export interface ItemActivityOptions {
  /** How long an Intacct match is reused (default 5 minutes). */
  matchCacheTtlMs?: number;
  /** Most matches kept; beyond it expired entries, then the oldest, are dropped (default 10,000). */
  matchCacheSize?: number;
  now?: () => number;
}

/**
 * Intacct item matches of this process, per tenant and settings version. Intacct bills every API
 * transaction, and a sale or a busy hour brings many orders for the same SKUs, so a match is
 * reused for a few minutes. Only matches are kept: a SKU Intacct did not know is asked again on
 * the next order, so an item created to fix a parked order is found at once on retry. A
 * settings change (new version) starts afresh, since the matching fields may have changed.
 */
class ItemMatchCache {
  private readonly entries = new Map<string, { match: IntacctItemMatch; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: ItemActivityOptions) {
    this.ttlMs = options.matchCacheTtlMs ?? 5 * 60_000;
    this.maxEntries = options.matchCacheSize ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  private static key(scope: string, storefrontKey: string): string {
    return `${scope}\u0000${storefrontKey}`;
  }

  get(scope: string, storefrontKey: string): IntacctItemMatch | undefined {
    const key = ItemMatchCache.key(scope, storefrontKey);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.match;
  }

  set(scope: string, storefrontKey: string, match: IntacctItemMatch): void {
    if (this.entries.size >= this.maxEntries) this.evict();
    this.entries.set(ItemMatchCache.key(scope, storefrontKey), { match, expiresAt: this.now() + this.ttlMs });
  }

  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    // Maps iterate in insertion order, so the first keys are the oldest.
    for (const key of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < values.length; index += size) out.push(values.slice(index, index + size));
  return out;
}

/**
 * The Intacct items whose matching field holds one of the keys: `readByName` for ITEMID, else a
 * `readByQuery` with `FIELD IN (…)` returning the field, so each item can be paired with its key.
 * One request per hundred keys: for an ordinary order, one request whatever its line count.
 */
async function findIntacctItems(client: IntacctClient, intacctField: string, keys: readonly string[]): Promise<IntacctItemCandidate[]> {
  const candidates: IntacctItemCandidate[] = [];
  for (const batch of chunks(keys, keysPerLookup)) {
    if (intacctField === 'ITEMID') {
      for (const item of await readItems(client, batch))
        candidates.push({ matchedValue: item.itemId, itemId: item.itemId, status: item.status });
      continue;
    }
    candidates.push(...(await findItemsByField(client, intacctField, batch)));
  }
  return candidates;
}

/**
 * `resolveItems`: each order line's Intacct item. The items mapping table first (keyed by the
 * storefront field the tenant matches by: SKU, product id or variant UPC), then the Intacct items
 * whose matching field holds the key, asked in one batched request per order and cached briefly;
 * inactive items count as missing. Each line's warehouse comes from the warehouses table by the
 * storefront location it ships from, else the tenant's default. An order with any line left over is returned unresolved with the list to fix.
 */
export function createItemActivities(
  deps: ActivityDependencies,
  options: ItemActivityOptions = {},
): Pick<OrderToCashActivities, 'resolveItems'> {
  const cache = new ItemMatchCache(options);

  async function resolveItems({ tenantId, order }: { tenantId: string; order: OrderWithoutContacts }): Promise<ItemResolution> {
    const connection = await deps.connections.forTenant(tenantId);
    const { itemMatching, defaultWarehouseId } = connection.settings.orderSync;
    const keys = [
      ...new Set(
        order.lines.map((line) => storefrontItemKey(line, itemMatching.storefrontField)).filter((key): key is string => key !== undefined),
      ),
    ];

    const mappedRows = new Map<string, ItemMappingRow>();
    const rows = await Promise.all(keys.map(async (key) => [key, await readMappingRow(deps.db, tenantId, 'items', key)] as const));
    for (const [key, row] of rows) if (row !== undefined) mappedRows.set(key, row);

    const scope = `${tenantId}\u0000${connection.settingsVersion}\u0000${itemMatching.intacctField}`;
    const intacctMatches = new Map<string, IntacctItemMatch>();
    const toLookUp: string[] = [];
    for (const key of keys) {
      if (mappedRows.has(key)) continue;
      const cached = cache.get(scope, key);
      if (cached !== undefined) intacctMatches.set(key, cached);
      else toLookUp.push(key);
    }

    let ambiguous: string[] = [];
    if (toLookUp.length > 0) {
      const candidates = await findIntacctItems(await connection.intacct(), itemMatching.intacctField, toLookUp);
      const found = matchIntacctItems(toLookUp, candidates);
      ambiguous = found.ambiguous;
      for (const [key, match] of found.matches) {
        intacctMatches.set(key, match);
        cache.set(scope, key, match);
      }
    }

    const locations = [...new Set(order.lines.flatMap((line) => (line.locationId === undefined ? [] : [line.locationId])))];
    const warehouses = new Map<string, string>();
    for (const [location, row] of await Promise.all(
      locations.map(async (location) => [location, await readMappingRow(deps.db, tenantId, 'warehouses', location)] as const),
    ))
      if (row !== undefined) warehouses.set(location, row.intacctWarehouseId);

    return resolveOrderItems({ lines: order.lines, itemMatching, mappedRows, intacctMatches, ambiguous, warehouses, defaultWarehouseId });
  }

  return { resolveItems: withConnectorFailures(resolveItems) };
}
