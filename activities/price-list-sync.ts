import { heartbeat } from '@temporalio/activity';
import { BigCommerceInputError, maxPriceRecordBatch } from '../connectors/bigcommerce/index.js';
import { readChangedPriceListEntriesPage } from '../connectors/intacct/index.js';
import { budgetDeferral } from '../decisions/intacct-budget-deferral.js';
import { priceListReconciliation } from '../decisions/price-list-reconciliation.js';
import { formatIntacctTimestamp, fromStorefrontPrice, intacctTimestampMs, toStorefrontPrice } from '../mappers/catalog-item-sync.js';
import { batchesOf, inventorySkuMapping, storefrontSkusForItem } from '../mappers/inventory-availability.js';
import {
  isBackedPriceRecord,
  isWithdrawnPriceRecord,
  toPriceRecordChange,
  type IntacctPriceListEntry,
} from '../mappers/price-list-sync.js';
import { businessDateOf } from '../mappers/to-intacct-sales-document.js';
import { intacctUsageMonth, readIntacctUsage } from '../store/intacct-usage.js';
import { itemMappingRowsForItems } from '../store/mappings.js';
import {
  confirmPriceRecords,
  forgetPriceRecords,
  recordManagedPriceRecords,
  unconfirmedPriceRecords,
} from '../store/price-list-records.js';
import { readPriceListSyncState, savePriceListSyncRun } from '../store/price-list-sync-state.js';
import type { ItemMappingRow } from '../store/schemas/mapping-tables.js';
import type {
  ChangedPriceListEntriesPage,
  PriceListSyncActivities,
  PriceListSyncPlan,
  PriceListSyncReport,
  PriceRecordChanges,
  PriceRecordReconciliation,
  PushPriceRecordsInput,
} from '../workflows/price-list-sync-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';

/** SKUs per BigCommerce read: keeps the URL far below servers' limits. */
const skusPerRead = 250;

function beat(details?: unknown): void {
  try {
    heartbeat(details);
  } catch {
    // Not running as an activity.
  }
}

/**
 * PriceListSync's activities: plan from the tenant's settings and watermark, read a page of
 * changed Intacct price list entries, read the store's variants and current records for their
 * SKUs and keep the prices that differ (a pure mapper decides), upsert records, keep the report.
 */
export function createPriceListSyncActivities(deps: ActivityDependencies) {
  const storefrontFor = async (tenantId: string) => {
    const connection = await deps.connections.forTenant(tenantId);
    const storefront = await connection.storefront();
    if (storefront.kind !== 'bigcommerce') throw new RangeError(`tenant ${tenantId} sells on ${storefront.kind}: no price lists`);
    return { connection, client: storefront.client, currency: connection.settings.orderSync.currency.baseCurrency };
  };

  /** Every entry Intacct holds for these items on these lists, changed or not, page by page. */
  const heldPriceListEntries = async (tenantId: string, itemIds: string[], priceListIds: string[]) => {
    const intacct = await (await deps.connections.forTenant(tenantId)).intacct();
    const entries: IntacctPriceListEntry[] = [];
    let intacctTransactions = 0;
    for (const chunk of batchesOf(itemIds, skusPerRead)) {
      let afterRecordNo: string | undefined;
      do {
        const page = await readChangedPriceListEntriesPage(intacct, {
          priceListIds,
          itemIds: chunk,
          afterRecordNo,
          pageSize: 1000,
          controlId: `held-price-entries:${chunk[0] ?? ''}:${afterRecordNo ?? ''}`.slice(0, 256),
        });
        intacctTransactions += 1;
        entries.push(...page.entries);
        afterRecordNo = page.nextAfterRecordNo;
      } while (afterRecordNo !== undefined);
    }
    return { entries, intacctTransactions };
  };

  return {
    async planPriceListSync(input: { tenantId: string; full?: boolean }): Promise<PriceListSyncPlan> {
      const { settings } = await deps.connections.forTenant(input.tenantId);
      const { items } = settings.catalog;
      const state = await readPriceListSyncState(deps.db, input.tenantId);
      const now = new Date();
      const { reconcile } = priceListReconciliation({
        now: now.toISOString(),
        timeZone: settings.timezone,
        settings: items.priceListReconciliation,
        lastReconciledOn: state?.reconciledOn,
        full: input.full === true,
      });
      const month = intacctUsageMonth(now);
      const usage = await readIntacctUsage(deps.db, input.tenantId, month);
      const deferredBecause = budgetDeferral(settings.intacctBudget, { month, transactions: usage?.transactions ?? 0 });
      return {
        enabled: items.enabled && items.fields.price === 'intacct' && Object.keys(items.priceLists).length > 0,
        ...(deferredBecause !== undefined && { deferredBecause }),
        storefront: settings.connection.storefront.kind,
        // A reconciling run reads every entry: the watermark would hide the ones nobody modified.
        ...(!reconcile && state?.watermarkMs !== undefined && { modifiedSince: formatIntacctTimestamp(state.watermarkMs) }),
        ...(reconcile && { reconcile: true }),
      };
    },

    readChangedPriceListEntries: withConnectorFailures(
      async (input: {
        tenantId: string;
        modifiedSince?: string;
        cursor?: string;
        pageSize?: number;
      }): Promise<ChangedPriceListEntriesPage> => {
        const connection = await deps.connections.forTenant(input.tenantId);
        beat({ cursor: input.cursor });
        const page = await readChangedPriceListEntriesPage(await connection.intacct(), {
          priceListIds: Object.keys(connection.settings.catalog.items.priceLists),
          modifiedSince: input.modifiedSince,
          afterRecordNo: input.cursor,
          pageSize: input.pageSize ?? 200,
          controlId: `changed-price-entries:${input.modifiedSince ?? ''}:${input.cursor ?? ''}`.slice(0, 256),
        });
        const rows = await itemMappingRowsForItems(
          deps.db,
          input.tenantId,
          page.entries.map((entry) => entry.itemId),
        );
        const mapping = inventorySkuMapping(rows.map((document) => document.row as ItemMappingRow));
        const entries = page.entries.map((entry) => ({
          ...entry,
          skus: storefrontSkusForItem(entry.itemId, mapping, connection.settings.orderSync.itemMatching),
        }));
        return {
          entries,
          unmapped: entries.filter((entry) => entry.skus.length === 0).length,
          ...(page.nextAfterRecordNo !== undefined && { nextCursor: page.nextAfterRecordNo }),
          intacctTransactions: 1,
        };
      },
    ),

    planPriceRecordChanges: withConnectorFailures(
      async (input: {
        tenantId: string;
        entries: ChangedPriceListEntriesPage['entries'];
        reconcilingRun?: string;
      }): Promise<PriceRecordChanges> => {
        const { tenantId } = input;
        const { connection, client, currency } = await storefrontFor(tenantId);
        const { priceLists } = connection.settings.catalog.items;
        const result: PriceRecordChanges = { changes: [], notInStorefront: 0, unchanged: 0, skipped: 0, failed: [], storefrontRequests: 0 };
        const skus = [...new Set(input.entries.flatMap((entry) => entry.skus))];
        const known = new Set<string>();
        for (const chunk of batchesOf(skus, skusPerRead)) {
          for (const variant of (await client.catalog.listVariants({ skus: chunk, limit: skusPerRead })).data) known.add(variant.sku);
          result.storefrontRequests += 1;
        }
        // The store's current price per list and SKU, read only for the lists this page touches.
        const current = new Map<string, number | undefined>();
        const listIds = [...new Set(input.entries.map((entry) => Number(priceLists[entry.priceListId])))].filter(Number.isSafeInteger);
        const knownSkus = [...known];
        for (const priceListId of listIds) {
          for (const chunk of batchesOf(knownSkus, skusPerRead)) {
            const records = await client.priceLists.listRecords(priceListId, { skus: chunk, currency, limit: skusPerRead });
            result.storefrontRequests += 1;
            for (const record of records.data)
              if (record.sku) current.set(`${priceListId}:${record.sku}`, fromStorefrontPrice(record.price, currency));
          }
          beat({ priceListId });
        }
        const today = businessDateOf(new Date().toISOString(), connection.settings.timezone);
        // Entries of this page per storefront list and SKU: a record is withdrawn only when none backs it.
        const pageEntries = new Map<string, { priceListId: number; sku: string; entries: IntacctPriceListEntry[] }>();
        const managed: Array<{ priceListId: number; sku: string; itemId: string }> = [];
        for (const entry of input.entries) {
          const priceListId = Number(priceLists[entry.priceListId]);
          for (const sku of entry.skus) {
            if (!known.has(sku)) {
              result.notInStorefront += 1;
              continue;
            }
            const key = `${priceListId}:${sku}`;
            const group = pageEntries.get(key) ?? { priceListId, sku, entries: [] };
            group.entries.push(entry);
            pageEntries.set(key, group);
            const decision = toPriceRecordChange(entry, {
              priceListId,
              sku,
              currentPriceMinor: current.get(`${priceListId}:${sku}`),
              currency,
              today,
            });
            if (decision.kind !== 'skipped') managed.push({ priceListId, sku, itemId: entry.itemId });
            if (decision.kind === 'upsert') result.changes.push(decision.change);
            else if (decision.kind === 'unchanged') result.unchanged += 1;
            else if (decision.kind === 'skipped') result.skipped += 1;
            else result.failed.push({ sku, reason: decision.reason });
          }
        }
        // Noted before the write, so a record whose upsert is lost is still the product's to reconcile.
        await recordManagedPriceRecords(deps.db, tenantId, managed, input.reconcilingRun);
        const candidates = [...pageEntries.values()].filter((group) =>
          isWithdrawnPriceRecord(group.entries, { currentPriceMinor: current.get(`${group.priceListId}:${group.sku}`), currency, today }),
        );
        if (candidates.length > 0) {
          // The page holds only changed entries: another entry, unchanged, may still price the SKU.
          const held = await heldPriceListEntries(
            tenantId,
            [...new Set(candidates.flatMap((group) => group.entries.map((entry) => entry.itemId)))],
            [...new Set(candidates.flatMap((group) => group.entries.map((entry) => entry.priceListId)))],
          );
          result.intacctTransactions = held.intacctTransactions;
          result.deletions = candidates
            .filter((group) =>
              isWithdrawnPriceRecord(
                held.entries.filter((entry) =>
                  group.entries.some((own) => own.priceListId === entry.priceListId && own.itemId === entry.itemId),
                ),
                { currentPriceMinor: current.get(`${group.priceListId}:${group.sku}`), currency, today },
              ),
            )
            .map((group) => ({ priceListId: group.priceListId, sku: group.sku }));
        }
        return result;
      },
    ),

    /** One upsert, applied whole or refused (422): a refusal fails every record in it, reported, not retried. */
    pushPriceRecords: withConnectorFailures(async (input: PushPriceRecordsInput) => {
      if (input.changes.length === 0) return { written: 0, failed: [] };
      if (input.changes.length > maxPriceRecordBatch) throw new RangeError(`a price record batch takes at most ${maxPriceRecordBatch}`);
      const { client, currency } = await storefrontFor(input.tenantId);
      try {
        await client.priceLists.upsertRecords(
          input.priceListId,
          input.changes.map((change) => ({ sku: change.sku, currency, price: toStorefrontPrice(change.priceMinor, currency) })),
        );
        return { written: input.changes.length, failed: [] };
      } catch (error) {
        if (!(error instanceof BigCommerceInputError)) throw error;
        return { written: 0, failed: input.changes.map((change) => ({ sku: change.sku, reason: error.message })) };
      }
    }),

    deletePriceRecords: withConnectorFailures(async (input: { tenantId: string; priceListId: number; skus: string[] }) => {
      const { client, currency } = await storefrontFor(input.tenantId);
      for (const chunk of batchesOf(input.skus, skusPerRead)) {
        await client.priceLists.deleteRecords(input.priceListId, { skus: chunk, currency });
        await forgetPriceRecords(deps.db, input.tenantId, input.priceListId, chunk);
      }
      return { deleted: input.skus.length };
    }),

    reconcilePriceRecords: withConnectorFailures(
      async (input: { tenantId: string; runId: string; limit?: number }): Promise<PriceRecordReconciliation> => {
        const { tenantId, runId } = input;
        const limit = input.limit ?? maxPriceRecordBatch;
        const { connection, client, currency } = await storefrontFor(tenantId);
        const { priceLists } = connection.settings.catalog.items;
        // Only lists still mapped: a record on a list the tenant unmapped is no longer the product's.
        const intacctListsOf = new Map<number, string[]>();
        for (const [intacctList, storeList] of Object.entries(priceLists))
          intacctListsOf.set(Number(storeList), [...(intacctListsOf.get(Number(storeList)) ?? []), intacctList]);
        const result: PriceRecordReconciliation = {
          confirmed: 0,
          deleted: 0,
          alreadyGone: 0,
          storefrontRequests: 0,
          intacctTransactions: 0,
          done: true,
        };
        const unconfirmed = await unconfirmedPriceRecords(deps.db, tenantId, [...intacctListsOf.keys()], runId, limit);
        if (unconfirmed.length === 0) return result;
        result.done = unconfirmed.length < limit;
        // The run read every entry and found none in effect for these; Intacct is asked once more
        // (every entry held for their items, changed or not) so an entry added since is not missed.
        const held = await heldPriceListEntries(
          tenantId,
          [...new Set(unconfirmed.flatMap((record) => record.itemIds))],
          [...new Set(unconfirmed.flatMap((record) => intacctListsOf.get(record.priceListId) ?? []))],
        );
        result.intacctTransactions = held.intacctTransactions;
        const today = businessDateOf(new Date().toISOString(), connection.settings.timezone);
        const backed = unconfirmed.filter((record) =>
          isBackedPriceRecord(
            held.entries.filter(
              (entry) =>
                record.itemIds.includes(entry.itemId) && (intacctListsOf.get(record.priceListId) ?? []).includes(entry.priceListId),
            ),
            { currency, today },
          ),
        );
        await confirmPriceRecords(deps.db, tenantId, backed, runId);
        result.confirmed = backed.length;
        const kept = new Set(backed);
        const withdrawn = new Map<number, string[]>();
        for (const record of unconfirmed)
          if (!kept.has(record)) withdrawn.set(record.priceListId, [...(withdrawn.get(record.priceListId) ?? []), record.sku]);
        for (const [priceListId, skus] of withdrawn) {
          for (const chunk of batchesOf(skus, skusPerRead)) {
            // Only what the store still holds is deleted, so a second run sends no request at all.
            const held = (await client.priceLists.listRecords(priceListId, { skus: chunk, currency, limit: skusPerRead })).data;
            result.storefrontRequests += 1;
            const present = [...new Set(held.flatMap((record) => (record.sku ? [record.sku] : [])))];
            if (present.length > 0) {
              await client.priceLists.deleteRecords(priceListId, { skus: present, currency });
              result.storefrontRequests += 1;
            }
            await forgetPriceRecords(deps.db, tenantId, priceListId, chunk);
            result.deleted += present.length;
            result.alreadyGone += chunk.length - present.length;
            beat({ priceListId, deleted: result.deleted });
          }
        }
        return result;
      },
    ),

    async finishPriceListSync(report: PriceListSyncReport): Promise<void> {
      const watermarkMs = report.nextModifiedSince === undefined ? undefined : intacctTimestampMs(report.nextModifiedSince);
      let reconciledOn: string | undefined;
      if (report.reconciled === true && report.outcome === 'completed') {
        const { settings } = await deps.connections.forTenant(report.tenantId);
        reconciledOn = businessDateOf(report.startedAt, settings.timezone);
      }
      await savePriceListSyncRun(deps.db, report.tenantId, report, watermarkMs, reconciledOn);
    },
  } satisfies PriceListSyncActivities;
}
