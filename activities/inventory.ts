import { heartbeat } from '@temporalio/activity';
import { BigCommerceInputError, type BigCommerceClient } from '../connectors/bigcommerce/index.js';
import { ClarityInputError, type ClarityClient } from '../connectors/clarity/index.js';
import { defaultWarehouseQuantityFields, fieldText, queryAllByOffset, readWarehouseStockPage } from '../connectors/intacct/index.js';
import {
  batchesOf,
  desiredLevels,
  inventorySkuMapping,
  isSkuSynced,
  maxInventoryBatchSize,
  storefrontSkusForItem,
  warehousesByLocation,
} from '../mappers/inventory-availability.js';
import { intacctItemForSku, skuAvailability } from '../mappers/inventory-sku-sync.js';
import { budgetDeferral } from '../decisions/intacct-budget-deferral.js';
import { intacctUsageMonth, readIntacctUsage } from '../store/intacct-usage.js';
import { insertInventoryReport } from '../store/inventory-reports.js';
import { itemMappingRowsForItems } from '../store/mappings.js';
import { recordOwnInventoryWrites } from '../store/own-inventory-writes.js';
import type { ItemMappingRow } from '../store/schemas/mapping-tables.js';
import type {
  IntacctStockPage,
  InventoryReconcileActivities,
  InventoryReport,
  InventoryRunPlan,
  PushInventoryBatchInput,
  PushInventoryBatchResult,
  ReadIntacctStockPageInput,
  ReadStorefrontLevelsInput,
  StorefrontLevels,
} from '../workflows/inventory-reconcile-contract.js';
import {
  inventorySkuSyncFailures,
  type IntacctSkuStock,
  type InventorySkuSyncActivities,
  type ReadIntacctStockForSkusInput,
  type ResolveInventoryTargetInput,
  type ResolvedInventoryTarget,
} from '../workflows/inventory-sku-sync-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import { readMappingTable } from './mapping-rows.js';
import { flowFailure } from './flow-failure.js';
import type { ActivityDependencies } from './dependencies.js';

/** SKUs per BigCommerce `GET /v3/inventory/items?sku:in=…`: keeps the URL far below servers' limits. */
const bigCommerceSkusPerRead = 250;
/** Clarity's largest list page (its contract: 1–200). */
const clarityPageSize = 200;
/** Unmapped item ids a page reports by name; the rest are counted. */
const unmappedSampleSize = 20;
/** Up to this many SKUs, Clarity's stock is read SKU by SKU; beyond, the catalogue once (one SKU's sync must not page the whole catalogue). */
const clarityReadsBySku = 10;
/** Intacct item ids per stock query of a single-SKU sync (a BigCommerce product has at most 600 variants). */
const intacctItemsPerQuery = 500;

/** Beats only inside an activity, so the functions also run in plain tests. */
function beat(details?: unknown): void {
  try {
    heartbeat(details);
  } catch {
    // Not running as an activity.
  }
}

/**
 * InventoryReconcile's activities: read a page of Intacct stock as desired storefront levels,
 * read the storefront's levels for those SKUs, push one batch of absolute levels (recording each
 * as the product's own write first), and store the run's report. InventorySkuSync reuses the
 * storefront reads and the push, with its own two: resolve the target's SKUs, and read Intacct's
 * stock of those SKUs only.
 */
export function createInventoryActivities(deps: ActivityDependencies) {
  /** The default location per BigCommerce tenant: it never changes within a process's life often enough to read it per batch. */
  const defaultLocations = new Map<string, number>();

  const bigCommerceDefaultLocation = async (tenantId: string, client: BigCommerceClient): Promise<number> => {
    const known = defaultLocations.get(tenantId);
    if (known !== undefined) return known;
    const [location] = await client.inventory.listLocations({ isDefault: true });
    if (location === undefined)
      throw new BigCommerceInputError('the store has no default inventory location', { vendorCode: 'no_default_location' });
    defaultLocations.set(tenantId, location.id);
    return location.id;
  };

  /** Each SKU's level at the store's default location, or at each of `locationIds` (levels then name their location). */
  const readBigCommerceLevels = async (
    tenantId: string,
    client: BigCommerceClient,
    skus: readonly string[],
    locationIds: readonly string[],
  ): Promise<StorefrontLevels> => {
    const mapped = locationIds.length > 0;
    const locations = mapped ? locationIds.map(Number) : [await bigCommerceDefaultLocation(tenantId, client)];
    const levels: StorefrontLevels['levels'] = [];
    for (const chunk of batchesOf(skus, bigCommerceSkusPerRead)) {
      const page = await client.inventory.listItems({ skus: chunk, locationIds: locations, limit: chunk.length });
      for (const item of page.data) {
        for (const locationId of locations) {
          const at = item.locations.find((location) => location.location_id === locationId);
          levels.push({
            sku: item.identity.sku,
            ...(mapped && { locationId: String(locationId) }),
            onHand: at?.total_inventory_onhand ?? 0,
            productId: String(item.identity.product_id),
            variantId: String(item.identity.variant_id),
          });
        }
      }
      beat({ read: levels.length });
    }
    return { levels };
  };

  // Clarity lists stock by one SKU or the whole catalogue: a few SKUs are read one by one, more by reading the catalogue once.
  // With locations asked for, only levels at those locations count, each naming its location.
  const readClarityLevels = async (
    client: ClarityClient,
    skus: readonly string[],
    locationIds: readonly string[],
  ): Promise<StorefrontLevels> => {
    const levels: StorefrontLevels['levels'] = [];
    const keep = (level: { sku: string; available: number; locationId: string }) => {
      if (locationIds.length === 0) levels.push({ sku: level.sku, onHand: level.available });
      else if (locationIds.includes(level.locationId))
        levels.push({ sku: level.sku, locationId: level.locationId, onHand: level.available });
    };
    if (skus.length <= clarityReadsBySku) {
      for (const sku of new Set(skus)) {
        const page = await client.listInventory({ sku, limit: clarityPageSize });
        for (const level of page.items) if (level.sku === sku) keep(level);
      }
      return { levels };
    }
    const wanted = new Set(skus);
    let cursor: string | undefined;
    do {
      const page = await client.listInventory({ limit: clarityPageSize, ...(cursor !== undefined && { cursor }) });
      for (const level of page.items) if (wanted.has(level.sku)) keep(level);
      cursor = page.nextCursor;
      beat({ read: levels.length });
    } while (cursor !== undefined);
    return { levels };
  };

  /** The SKUs of a BigCommerce product (every variant's, the base variant's for a simple product) or of one variant. */
  const bigCommerceSkusOf = async (
    client: BigCommerceClient,
    target: { kind: 'bigcommerceProduct'; productId: string } | { kind: 'bigcommerceVariant'; variantId: string },
  ): Promise<string[]> => {
    if (target.kind === 'bigcommerceVariant') {
      const items = await client.inventory.listItems({ variantIds: [Number(target.variantId)], limit: 1 });
      return items.data.map((item) => item.identity.sku).filter((sku) => sku !== '');
    }
    const skus: string[] = [];
    for (let page = 1; ; page += 1) {
      const variants = await client.catalog.listVariants({ productIds: [Number(target.productId)], page, limit: 250 });
      skus.push(...variants.data.map((variant) => variant.sku).filter((sku) => sku !== ''));
      if (variants.pagination === undefined || page >= variants.pagination.total_pages) return skus;
    }
  };

  return {
    async planInventoryRun(input: { tenantId: string }): Promise<InventoryRunPlan> {
      const { settings } = await deps.connections.forTenant(input.tenantId);
      const storefront = settings.connection.storefront.kind;
      const month = intacctUsageMonth(new Date());
      const usage = await readIntacctUsage(deps.db, input.tenantId, month);
      const deferredBecause = budgetDeferral(settings.intacctBudget, { month, transactions: usage?.transactions ?? 0 });
      return {
        enabled: settings.inventory.enabled,
        storefront,
        maxBatchSize: maxInventoryBatchSize[storefront],
        ...(deferredBecause !== undefined && { deferredBecause }),
      };
    },

    readIntacctStockPage: withConnectorFailures(async (input: ReadIntacctStockPageInput): Promise<IntacctStockPage> => {
      const connection = await deps.connections.forTenant(input.tenantId);
      const { inventory, orderSync } = connection.settings;
      beat({ cursor: input.cursor });
      const page = await readWarehouseStockPage(await connection.intacct(), {
        afterItemId: input.cursor,
        pageSize: input.pageSize ?? 2000,
        controlId: `stock-page:${input.cursor ?? ''}`.slice(0, 256),
      });
      const rows = await itemMappingRowsForItems(
        deps.db,
        input.tenantId,
        page.items.map((item) => item.itemId),
      );
      const mapping = inventorySkuMapping(rows.map((document) => document.row as ItemMappingRow));
      const locations = warehousesByLocation(await readMappingTable(deps.db, input.tenantId, 'warehouses'));
      const levels: IntacctStockPage['levels'] = [];
      const unmapped: string[] = [];
      let filtered = 0;
      for (const item of page.items) {
        const skus = storefrontSkusForItem(item.itemId, mapping, orderSync.itemMatching);
        if (skus.length === 0) unmapped.push(item.itemId);
        const synced = skus.filter((sku) => isSkuSynced(sku, inventory.skus));
        filtered += skus.length - synced.length;
        levels.push(...desiredLevels(synced, item.rows, inventory, locations));
      }
      beat({ cursor: page.nextAfterItemId });
      return {
        levels,
        intacctItems: page.items.length,
        unmapped: unmapped.length,
        unmappedSamples: unmapped.slice(0, unmappedSampleSize),
        filtered,
        ...(page.nextAfterItemId !== undefined && { nextCursor: page.nextAfterItemId }),
        intacctTransactions: 1,
      };
    }),

    readStorefrontLevels: withConnectorFailures(async (input: ReadStorefrontLevelsInput): Promise<StorefrontLevels> => {
      const storefront = await (await deps.connections.forTenant(input.tenantId)).storefront();
      if (input.skus.length === 0) return { levels: [] };
      return storefront.kind === 'bigcommerce'
        ? readBigCommerceLevels(input.tenantId, storefront.client, input.skus, input.locationIds ?? [])
        : readClarityLevels(storefront.client, input.skus, input.locationIds ?? []);
    }),

    /**
     * Writes one batch of absolute levels. Each SKU is recorded as the product's own write before
     * the request, so the webhooks it causes are recognised even when they outrun the response.
     * A refused batch (input error) comes back as failed SKUs; anything retryable is thrown.
     */
    pushInventoryBatch: withConnectorFailures(async (input: PushInventoryBatchInput): Promise<PushInventoryBatchResult> => {
      if (input.levels.length === 0) return { pushed: 0, failed: [] };
      const storefront = await (await deps.connections.forTenant(input.tenantId)).storefront();
      const limit = maxInventoryBatchSize[storefront.kind];
      if (input.levels.length > limit)
        throw new RangeError(`${storefront.kind} takes at most ${limit} levels per write, not ${input.levels.length}`);
      // BigCommerce names a product-tracked item's change by product only and a variant's by both: record both keys.
      await recordOwnInventoryWrites(
        deps.db,
        input.tenantId,
        input.levels.flatMap((level) => {
          const productId = level.productId ?? level.sku;
          return level.variantId === undefined ? [{ productId }] : [{ productId }, { productId, variantId: level.variantId }];
        }),
      );
      if (storefront.kind === 'bigcommerce') {
        const defaultLocationId = input.levels.every((level) => level.locationId !== undefined)
          ? undefined
          : await bigCommerceDefaultLocation(input.tenantId, storefront.client);
        try {
          await storefront.client.inventory.setAbsoluteLevels(
            input.levels.map((level) => ({
              location_id: level.locationId === undefined ? defaultLocationId! : Number(level.locationId),
              sku: level.sku,
              quantity: level.quantity,
            })),
            'Intacct stock reconciliation',
          );
          return { pushed: input.levels.length, failed: [] };
        } catch (error) {
          // BigCommerce applies an adjustment all or nothing: a refusal fails the whole batch.
          if (!(error instanceof BigCommerceInputError)) throw error;
          return { pushed: 0, failed: input.levels.map((level) => ({ sku: level.sku, reason: error.message })) };
        }
      }
      try {
        const results = await storefront.client.setInventoryBatch(
          input.levels.map((level) => ({
            sku: level.sku,
            available: level.quantity,
            ...(level.locationId !== undefined && { locationId: level.locationId }),
          })),
          { idempotencyKey: input.idempotencyKey },
        );
        const failed = results.flatMap((result) => (result.ok ? [] : [{ sku: result.sku, reason: result.error }]));
        return { pushed: results.length - failed.length, failed };
      } catch (error) {
        if (!(error instanceof ClarityInputError)) throw error;
        return { pushed: 0, failed: input.levels.map((level) => ({ sku: level.sku, reason: error.message })) };
      }
    }),

    /**
     * The SKUs a single-SKU sync covers, or `enabled: false` when the tenant's inventory sync is
     * off (then nothing else is read). A SKU target is taken as it is; a BigCommerce product or
     * variant is looked up in the store.
     */
    resolveInventoryTarget: withConnectorFailures(async (input: ResolveInventoryTargetInput): Promise<ResolvedInventoryTarget> => {
      const connection = await deps.connections.forTenant(input.tenantId);
      const { settings } = connection;
      const storefrontKind = settings.connection.storefront.kind;
      const plan = { enabled: settings.inventory.enabled, storefront: storefrontKind, maxBatchSize: maxInventoryBatchSize[storefrontKind] };
      if (!plan.enabled) return { ...plan, skus: [] };
      const { target } = input;
      if (target.kind === 'sku') return { ...plan, skus: [target.sku] };
      const storefront = await connection.storefront();
      if (storefront.kind !== 'bigcommerce') {
        throw flowFailure(
          inventorySkuSyncFailures,
          'InventoryTargetMismatch',
          `tenant ${input.tenantId} sells on ${storefront.kind}, so it has no BigCommerce ${target.kind === 'bigcommerceProduct' ? 'product' : 'variant'} to sync`,
        );
      }
      return { ...plan, skus: [...new Set(await bigCommerceSkusOf(storefront.client, target))] };
    }),

    /**
     * Intacct's availability of a few SKUs, computed as a reconciliation would (the SKU filter,
     * the items mapping table or ITEMID matching, the warehouses and the warehouses table's
     * storefront locations, safety stock): one `query` of the
     * items' stock rows per 500 items, and none when no SKU maps to an item.
     */
    readIntacctStockForSkus: withConnectorFailures(async (input: ReadIntacctStockForSkusInput): Promise<IntacctSkuStock> => {
      const connection = await deps.connections.forTenant(input.tenantId);
      const { inventory, orderSync } = connection.settings;
      const filtered = input.skus.filter((sku) => !isSkuSynced(sku, inventory.skus));
      const synced = input.skus.filter((sku) => isSkuSynced(sku, inventory.skus));
      const rows = (await itemMappingRowsForItems(deps.db, input.tenantId, synced)).map((document) => document.row as ItemMappingRow);
      const itemBySku = new Map<string, string>();
      const unmapped: string[] = [];
      for (const sku of synced) {
        const itemId = intacctItemForSku(sku, rows, orderSync.itemMatching);
        if (itemId === undefined) unmapped.push(sku);
        else itemBySku.set(sku, itemId);
      }
      const stockRows: Array<{ itemId: string; warehouseId: string; onHand: string; onHold: string }> = [];
      let intacctTransactions = 0;
      const itemIds = [...new Set(itemBySku.values())];
      if (itemIds.length > 0) {
        const intacct = await connection.intacct();
        const fields = defaultWarehouseQuantityFields;
        for (const chunk of batchesOf(itemIds, intacctItemsPerQuery)) {
          for await (const page of queryAllByOffset(intacct, {
            object: 'ITEMWAREHOUSEINFO',
            select: ['RECORDNO', 'ITEMID', 'WAREHOUSEID', fields.onHand, fields.onHold],
            filter: { field: 'ITEMID', operator: 'in', values: chunk },
            orderBy: [{ field: 'RECORDNO' }],
            pageSize: 2000,
            controlIdPrefix: `stock-of:${chunk[0]}`.slice(0, 200),
          })) {
            intacctTransactions += 1;
            for (const record of page.records) {
              stockRows.push({
                itemId: fieldText(record, 'ITEMID'),
                warehouseId: fieldText(record, 'WAREHOUSEID'),
                onHand: fieldText(record, fields.onHand),
                onHold: fieldText(record, fields.onHold),
              });
            }
          }
        }
      }
      const locations = warehousesByLocation(await readMappingTable(deps.db, input.tenantId, 'warehouses'));
      const { levels, notInIntacct } = skuAvailability(itemBySku, stockRows, inventory, locations);
      return { levels, filtered, unmapped, notInIntacct, intacctTransactions };
    }),

    async storeInventoryReport(report: InventoryReport): Promise<void> {
      await insertInventoryReport(deps.db, report);
    },
  } satisfies InventoryReconcileActivities & InventorySkuSyncActivities;
}
