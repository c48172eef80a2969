import { heartbeat } from '@temporalio/activity';
import { BigCommerceInputError, type BigCommerceClient } from '../connectors/bigcommerce/index.js';
import { ClarityInputError, type ClarityClient } from '../connectors/clarity/index.js';
import { readWarehouseStockPage } from '../connectors/intacct/index.js';
import { availableQuantity, batchesOf, inventorySkuMapping, isSkuSynced, maxInventoryBatchSize, storefrontSkusForItem } from '../mappers/inventory-availability.js';
import { insertInventoryReport } from '../store/inventory-reports.js';
import { itemMappingRowsForItems } from '../store/mappings.js';
import { recordOwnInventoryWrites } from '../store/own-inventory-writes.js';
import type { ItemMappingRow } from '../store/schemas/mapping-tables.js';
import type {
  IntacctStockPage,
  InventoryReport,
  InventoryRunPlan,
  PushInventoryBatchInput,
  PushInventoryBatchResult,
  ReadIntacctStockPageInput,
  ReadStorefrontLevelsInput,
  StorefrontLevels,
} from '../workflows/inventory-reconcile-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';

/** SKUs per BigCommerce `GET /v3/inventory/items?sku:in=…`: keeps the URL far below servers' limits. */
const bigCommerceSkusPerRead = 250;
/** Clarity's largest list page (its contract: 1–200). */
const clarityPageSize = 200;
/** Unmapped item ids a page reports by name; the rest are counted. */
const unmappedSampleSize = 20;

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
 * as the product's own write first), and store the run's report.
 */
export function createInventoryActivities(deps: ActivityDependencies) {
  /** The default location per BigCommerce tenant: it never changes within a process's life often enough to read it per batch. */
  const defaultLocations = new Map<string, number>();

  const bigCommerceDefaultLocation = async (tenantId: string, client: BigCommerceClient): Promise<number> => {
    const known = defaultLocations.get(tenantId);
    if (known !== undefined) return known;
    const [location] = await client.inventory.listLocations({ isDefault: true });
    if (location === undefined) throw new BigCommerceInputError('the store has no default inventory location', { vendorCode: 'no_default_location' });
    defaultLocations.set(tenantId, location.id);
    return location.id;
  };

  const readBigCommerceLevels = async (tenantId: string, client: BigCommerceClient, skus: readonly string[]): Promise<StorefrontLevels> => {
    const locationId = await bigCommerceDefaultLocation(tenantId, client);
    const levels: StorefrontLevels['levels'] = [];
    for (const chunk of batchesOf(skus, bigCommerceSkusPerRead)) {
      const page = await client.inventory.listItems({ skus: chunk, locationIds: [locationId], limit: chunk.length });
      for (const item of page.data) {
        const at = item.locations.find((location) => location.location_id === locationId);
        levels.push({ sku: item.identity.sku, onHand: at?.total_inventory_onhand ?? 0, productId: String(item.identity.product_id), variantId: String(item.identity.variant_id) });
      }
      beat({ read: levels.length });
    }
    return { levels };
  };

  // Clarity lists stock by one SKU or the whole catalogue: the catalogue is read once per call and filtered.
  const readClarityLevels = async (client: ClarityClient, skus: readonly string[]): Promise<StorefrontLevels> => {
    const wanted = new Set(skus);
    const levels: StorefrontLevels['levels'] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listInventory({ limit: clarityPageSize, ...(cursor !== undefined && { cursor }) });
      for (const level of page.items) if (wanted.has(level.sku)) levels.push({ sku: level.sku, onHand: level.available });
      cursor = page.nextCursor;
      beat({ read: levels.length });
    } while (cursor !== undefined);
    return { levels };
  };

  return {
    async planInventoryRun(input: { tenantId: string }): Promise<InventoryRunPlan> {
      const { settings } = await deps.connections.forTenant(input.tenantId);
      const storefront = settings.connection.storefront.kind;
      return { enabled: settings.inventory.enabled, storefront, maxBatchSize: maxInventoryBatchSize[storefront] };
    },

    readIntacctStockPage: withConnectorFailures(async (input: ReadIntacctStockPageInput): Promise<IntacctStockPage> => {
      const connection = await deps.connections.forTenant(input.tenantId);
      const { inventory, orderSync } = connection.settings;
      beat({ cursor: input.cursor });
      const page = await readWarehouseStockPage(await connection.intacct(), { afterItemId: input.cursor, pageSize: input.pageSize ?? 2000, controlId: `stock-page:${input.cursor ?? ''}`.slice(0, 256) });
      const rows = await itemMappingRowsForItems(deps.db, input.tenantId, page.items.map((item) => item.itemId));
      const mapping = inventorySkuMapping(rows.map((document) => document.row as ItemMappingRow));
      const levels: IntacctStockPage['levels'] = [];
      const unmapped: string[] = [];
      let filtered = 0;
      for (const item of page.items) {
        const skus = storefrontSkusForItem(item.itemId, mapping, orderSync.itemMatching);
        if (skus.length === 0) unmapped.push(item.itemId);
        const available = availableQuantity(item.rows, inventory);
        for (const sku of skus) {
          if (isSkuSynced(sku, inventory.skus)) levels.push({ sku, available });
          else filtered += 1;
        }
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
      return storefront.kind === 'bigcommerce' ? readBigCommerceLevels(input.tenantId, storefront.client, input.skus) : readClarityLevels(storefront.client, input.skus);
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
      if (input.levels.length > limit) throw new RangeError(`${storefront.kind} takes at most ${limit} levels per write, not ${input.levels.length}`);
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
        const locationId = await bigCommerceDefaultLocation(input.tenantId, storefront.client);
        try {
          await storefront.client.inventory.setAbsoluteLevels(input.levels.map((level) => ({ location_id: locationId, sku: level.sku, quantity: level.quantity })), 'Intacct stock reconciliation');
          return { pushed: input.levels.length, failed: [] };
        } catch (error) {
          // BigCommerce applies an adjustment all or nothing: a refusal fails the whole batch.
          if (!(error instanceof BigCommerceInputError)) throw error;
          return { pushed: 0, failed: input.levels.map((level) => ({ sku: level.sku, reason: error.message })) };
        }
      }
      try {
        const results = await storefront.client.setInventoryBatch(
          input.levels.map((level) => ({ sku: level.sku, available: level.quantity })),
          { idempotencyKey: input.idempotencyKey },
        );
        const failed = results.flatMap((result) => (result.ok ? [] : [{ sku: result.sku, reason: result.error }]));
        return { pushed: results.length - failed.length, failed };
      } catch (error) {
        if (!(error instanceof ClarityInputError)) throw error;
        return { pushed: 0, failed: input.levels.map((level) => ({ sku: level.sku, reason: error.message })) };
      }
    }),

    async storeInventoryReport(report: InventoryReport): Promise<void> {
      await insertInventoryReport(deps.db, report);
    },
  };
}

/** The activities InventoryReconcile calls, as the workflow sees them. */
export type InventoryActivities = ReturnType<typeof createInventoryActivities>;
