import { heartbeat } from '@temporalio/activity';
import { BigCommerceInputError, maxCustomerBatch, type BigCommerceClient } from '../connectors/bigcommerce/index.js';
import { ClarityInputError } from '../connectors/clarity/index.js';
import { readChangedCustomersPage, readSyncCustomer, updateCustomer } from '../connectors/intacct/index.js';
import { budgetDeferral } from '../decisions/intacct-budget-deferral.js';
import { formatIntacctTimestamp, intacctTimestampMs } from '../mappers/catalog-item-sync.js';
import {
  fromBigCommerceCustomer,
  fromClarityCustomer,
  intacctCustomerStamp,
  isOwnStorefrontEcho,
  laterOf,
  storefrontCustomerStamp,
  toIntacctCustomerChanges,
  toStorefrontCustomerChanges,
  withIntacctChanges,
  type StorefrontCustomerState,
} from '../mappers/customer-sync.js';
import type { StorefrontKind } from '../mappers/canonical-order.js';
import type { ShopperKeys } from '../mappers/customer-record.js';
import { batchesOf } from '../mappers/inventory-availability.js';
import {
  readCustomerSyncPollState,
  readCustomerSyncRecords,
  recordCustomerSync,
  saveCustomerSyncPoll,
} from '../store/customer-sync-state.js';
import { intacctUsageMonth, readIntacctUsage } from '../store/intacct-usage.js';
import { customerMappingRowsNamingAny, findMappingRow } from '../store/mappings.js';
import type {
  ChangedCustomersPage,
  CustomerSyncActivities,
  CustomerSyncPollPlan,
  CustomerSyncPollReport,
  PushCustomerChangesResult,
  StorefrontCustomerChanges,
  StorefrontCustomerSyncResult,
  SyncStorefrontCustomerInput,
} from '../workflows/customer-sync-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import { customerLinks, findExistingCustomer } from './customers.js';
import type { ActivityDependencies } from './dependencies.js';

type TenantConnection = Awaited<ReturnType<ActivityDependencies['connections']['forTenant']>>;

/** Customer ids per BigCommerce read (`id:in`): the list endpoint's page limit. */
const customersPerRead = 250;

/** A BigCommerce customer id: the customers table also holds guests keyed by email (or its keyed hash), which have no storefront record. */
const storefrontCustomerIdPattern = /^\d+$/;

function beat(details?: unknown): void {
  try {
    heartbeat(details);
  } catch {
    // Not running as an activity.
  }
}

/** The storefront customers with these ids, with their addresses, by id. */
async function readBigCommerceCustomers(
  client: BigCommerceClient,
  ids: readonly string[],
): Promise<{ customers: Map<string, StorefrontCustomerState>; requests: number }> {
  const customers = new Map<string, StorefrontCustomerState>();
  let requests = 0;
  for (const chunk of batchesOf(ids, customersPerRead)) {
    const page = await client.customers.listCustomers({ ids: chunk.map(Number), includeAddresses: true, limit: customersPerRead });
    requests += 1;
    for (const customer of page.data) customers.set(String(customer.id), fromBigCommerceCustomer(customer));
    beat({ read: customers.size });
  }
  return { customers, requests };
}

/**
 * CustomerSync's activities. Storefront → Intacct: one call per sync reads the storefront
 * customer, its link in the customers mapping table and the linked Intacct customer, lets the
 * pure mapper decide per field owner, and updates Intacct once. Intacct → storefront: the poll's
 * page reads, plans and batch writes, as the item sync's. Both record the stamp of what they
 * wrote, so the other side's echo of it is recognised.
 */
export function createCustomerSyncActivities(deps: ActivityDependencies) {
  const bigCommerceFor = async (tenantId: string) => {
    const connection = await deps.connections.forTenant(tenantId);
    const storefront = await connection.storefront();
    if (storefront.kind !== 'bigcommerce') throw new RangeError(`tenant ${tenantId} sells on ${storefront.kind}: no customer writes`);
    return { connection, client: storefront.client };
  };

  const links = customerLinks(deps);

  /**
   * The storefront customer as CustomerSync compares it, or undefined when the store has none by
   * this id: BigCommerce by its customer list (with addresses), Clarity by `GET /customers/{id}`.
   */
  const readStorefrontCustomer = async (connection: TenantConnection, customerId: string): Promise<StorefrontCustomerState | undefined> => {
    const storefront = await connection.storefront();
    if (storefront.kind === 'bigcommerce')
      return (await readBigCommerceCustomers(storefront.client, [customerId])).customers.get(customerId);
    try {
      return fromClarityCustomer(await storefront.client.getCustomer(customerId));
    } catch (error) {
      if (error instanceof ClarityInputError && error.status === 404) return undefined;
      throw error;
    }
  };

  /**
   * An unlinked storefront customer's existing Intacct customer, linked now rather than left for
   * an order (which would create one when none is linked: a duplicate of a customer the books
   * already have). A customers mapping row under the customer's email or its keyed hash (an
   * earlier guest order's) comes first; else the one active customer the tenant's order match key
   * finds (`orderSync.customerMatching`, as an order's resolution). The link is remembered under
   * the storefront customer id as a learned row. None, or several: still unlinked.
   */
  const linkExistingCustomer = async (
    tenantId: string,
    connection: TenantConnection,
    storefront: StorefrontKind,
    store: StorefrontCustomerState,
  ): Promise<{ intacctCustomerId?: string; linkedBy?: 'mapping' | 'matched'; intacctTransactions: number }> => {
    const email = store.email.trim().toLowerCase();
    const phone = store.phone.trim();
    const matching = connection.settings.orderSync.customerMatching;
    const company = matching.matchField?.shopper === 'company' ? store.company.trim() : '';
    const keys: ShopperKeys = {
      storefrontCustomerId: store.customerId,
      ...(email !== '' && { email }),
      ...(phone !== '' && { phone }),
      ...(company !== '' && { company }),
    };
    const mapped = await links.linkedCustomer(tenantId, keys);
    if (mapped !== undefined) {
      await links.remember(tenantId, keys, mapped);
      return { intacctCustomerId: mapped, linkedBy: 'mapping', intacctTransactions: 0 };
    }
    if (matching.matchKey === 'none') return { intacctTransactions: 0 };
    const { chosen } = await findExistingCustomer(await connection.intacct(), matching, storefront, keys);
    if (chosen === undefined) return { intacctTransactions: 1 };
    await links.remember(tenantId, keys, chosen.customerId);
    return { intacctCustomerId: chosen.customerId, linkedBy: 'matched', intacctTransactions: 1 };
  };

  return {
    syncStorefrontCustomer: withConnectorFailures(async (input: SyncStorefrontCustomerInput): Promise<StorefrontCustomerSyncResult> => {
      const { tenantId, customerId } = input;
      const result = (outcome: StorefrontCustomerSyncResult['outcome'], counts: Partial<StorefrontCustomerSyncResult> = {}) => ({
        outcome,
        fields: [],
        storefrontRequests: 0,
        intacctTransactions: 0,
        ...counts,
      });
      const connection = await deps.connections.forTenant(tenantId);
      const rules = connection.settings.catalog.customers;
      if (!rules.enabled || input.storefront !== connection.settings.connection.storefront.kind) return result('disabled');
      const link = await findMappingRow(deps.db, tenantId, 'customers', customerId);
      const linkedId = typeof link?.row.intacctCustomerId === 'string' ? link.row.intacctCustomerId : undefined;
      const store = await readStorefrontCustomer(connection, customerId);
      const lastSync = (outcome: string, fields: string[]) => ({ at: new Date(), direction: 'toIntacct' as const, outcome, fields });
      let intacctCustomerId: string;
      let linkedBy: StorefrontCustomerSyncResult['linkedBy'];
      let matchTransactions = 0;
      if (linkedId !== undefined) intacctCustomerId = linkedId;
      else {
        if (store === undefined) return result('unlinked', { storefrontRequests: 1 });
        const found = await linkExistingCustomer(tenantId, connection, input.storefront, store);
        matchTransactions = found.intacctTransactions;
        if (found.intacctCustomerId === undefined)
          return result('unlinked', { storefrontRequests: 1, intacctTransactions: matchTransactions });
        intacctCustomerId = found.intacctCustomerId;
        linkedBy = found.linkedBy;
      }
      const linked = { intacctCustomerId, ...(linkedBy !== undefined && { linkedBy }) };
      if (store === undefined) return result('missing', { ...linked, storefrontRequests: 1 });
      const record = (await readCustomerSyncRecords(deps.db, tenantId, [customerId])).get(customerId);
      if (isOwnStorefrontEcho(input.topics, store, record?.storefrontStamp)) {
        await recordCustomerSync(deps.db, tenantId, customerId, { intacctCustomerId, lastSync: lastSync('ownWrite', []) });
        return result('ownWrite', { ...linked, storefrontRequests: 1, intacctTransactions: matchTransactions });
      }
      const intacct = await connection.intacct();
      const books = await readSyncCustomer(intacct, intacctCustomerId, `customer-sync-read:${intacctCustomerId}`.slice(0, 256));
      if (books === undefined) return result('missing', { ...linked, storefrontRequests: 1, intacctTransactions: matchTransactions + 1 });
      const decision = toIntacctCustomerChanges(store, books, rules, laterOf(store.modifiedAt, input.changedAt));
      if (decision.kind === 'unchanged') {
        await recordCustomerSync(deps.db, tenantId, customerId, { intacctCustomerId, lastSync: lastSync('unchanged', []) });
        return result('unchanged', { ...linked, storefrontRequests: 1, intacctTransactions: matchTransactions + 1 });
      }
      const written = withIntacctChanges(books, decision.changes);
      const stamp = intacctCustomerStamp(written);
      // Stable across retries of this write, different for a different write to the same customer.
      await updateCustomer(intacct, intacctCustomerId, decision.changes, `customer-sync:${intacctCustomerId}:${stamp}`.slice(0, 256));
      await recordCustomerSync(deps.db, tenantId, customerId, {
        intacctCustomerId,
        intacctStamp: stamp,
        lastSync: lastSync('updated', decision.fields),
      });
      return result('updated', {
        ...linked,
        fields: decision.fields,
        storefrontRequests: 1,
        intacctTransactions: matchTransactions + 2,
      });
    }),

    async planCustomerSyncPoll(input: { tenantId: string; full?: boolean }): Promise<CustomerSyncPollPlan> {
      const { settings } = await deps.connections.forTenant(input.tenantId);
      const state = input.full === true ? null : await readCustomerSyncPollState(deps.db, input.tenantId);
      const month = intacctUsageMonth(new Date());
      const usage = await readIntacctUsage(deps.db, input.tenantId, month);
      const deferredBecause = budgetDeferral(settings.intacctBudget, { month, transactions: usage?.transactions ?? 0 });
      return {
        enabled: settings.catalog.customers.enabled,
        ...(deferredBecause !== undefined && { deferredBecause }),
        storefront: settings.connection.storefront.kind,
        ...(state?.watermarkMs !== undefined && { modifiedSince: formatIntacctTimestamp(state.watermarkMs) }),
      };
    },

    readChangedCustomers: withConnectorFailures(
      async (input: { tenantId: string; modifiedSince?: string; cursor?: string; pageSize?: number }): Promise<ChangedCustomersPage> => {
        const connection = await deps.connections.forTenant(input.tenantId);
        beat({ cursor: input.cursor });
        const page = await readChangedCustomersPage(await connection.intacct(), {
          modifiedSince: input.modifiedSince,
          afterCustomerId: input.cursor,
          pageSize: input.pageSize ?? 200,
          controlId: `changed-customers:${input.modifiedSince ?? ''}:${input.cursor ?? ''}`.slice(0, 256),
        });
        const rows = await customerMappingRowsNamingAny(
          deps.db,
          input.tenantId,
          page.customers.map((customer) => customer.customerId),
        );
        const customers = page.customers.map((customer) => ({
          ...customer,
          storefrontCustomerIds: rows
            .filter((row) => row.row.intacctCustomerId === customer.customerId && storefrontCustomerIdPattern.test(row.key))
            .map((row) => row.key),
        }));
        return {
          customers,
          unlinked: customers.filter((customer) => customer.storefrontCustomerIds.length === 0).length,
          ...(page.nextAfterCustomerId !== undefined && { nextCursor: page.nextAfterCustomerId }),
          intacctTransactions: 1,
        };
      },
    ),

    planStorefrontCustomerChanges: withConnectorFailures(
      async (input: { tenantId: string; customers: ChangedCustomersPage['customers'] }): Promise<StorefrontCustomerChanges> => {
        const { connection, client } = await bigCommerceFor(input.tenantId);
        const rules = connection.settings.catalog.customers;
        const ids = [...new Set(input.customers.flatMap((customer) => customer.storefrontCustomerIds))];
        const { customers, requests } = await readBigCommerceCustomers(client, ids);
        const records = await readCustomerSyncRecords(deps.db, input.tenantId, ids);
        const planned: StorefrontCustomerChanges = {
          changes: [],
          notInStorefront: 0,
          unchanged: 0,
          ownWrites: 0,
          storefrontRequests: requests,
        };
        for (const books of input.customers) {
          const stamp = intacctCustomerStamp(books);
          for (const storefrontCustomerId of books.storefrontCustomerIds) {
            const store = customers.get(storefrontCustomerId);
            if (store === undefined) {
              planned.notInStorefront += 1;
              continue;
            }
            if (records.get(storefrontCustomerId)?.intacctStamp === stamp) {
              planned.ownWrites += 1;
              continue;
            }
            const decision = toStorefrontCustomerChanges(books, store, rules);
            if (decision.kind === 'unchanged') planned.unchanged += 1;
            else planned.changes.push({ ...decision.change, intacctCustomerId: books.customerId, fields: decision.fields });
          }
        }
        return planned;
      },
    ),

    /** One customer batch: BigCommerce applies it whole or refuses it (422), which fails every customer in it. */
    pushCustomerChanges: withConnectorFailures(
      async (input: { tenantId: string; changes: StorefrontCustomerChanges['changes'] }): Promise<PushCustomerChangesResult> => {
        if (input.changes.length === 0) return { written: 0, failed: [] };
        if (input.changes.length > maxCustomerBatch) throw new RangeError(`a customer batch takes at most ${maxCustomerBatch}`);
        const { client } = await bigCommerceFor(input.tenantId);
        try {
          const saved = await client.customers.updateCustomers(
            input.changes.map((change) => ({
              id: Number(change.customerId),
              ...(change.email !== undefined && { email: change.email }),
              ...(change.firstName !== undefined && { first_name: change.firstName }),
              ...(change.lastName !== undefined && { last_name: change.lastName }),
              ...(change.company !== undefined && { company: change.company }),
              ...(change.phone !== undefined && { phone: change.phone }),
              ...(change.groupId !== undefined && { customer_group_id: change.groupId === '' ? 0 : Number(change.groupId) }),
            })),
          );
          for (const customer of saved) {
            const change = input.changes.find((candidate) => candidate.customerId === String(customer.id));
            if (change === undefined) continue;
            await recordCustomerSync(deps.db, input.tenantId, change.customerId, {
              intacctCustomerId: change.intacctCustomerId,
              storefrontStamp: storefrontCustomerStamp(fromBigCommerceCustomer(customer)),
              lastSync: { at: new Date(), direction: 'toStorefront', outcome: 'updated', fields: change.fields },
            });
          }
          return { written: input.changes.length, failed: [] };
        } catch (error) {
          if (!(error instanceof BigCommerceInputError)) throw error;
          return { written: 0, failed: input.changes.map((change) => ({ customerId: change.customerId, reason: error.message })) };
        }
      },
    ),

    async finishCustomerSyncPoll(report: CustomerSyncPollReport): Promise<void> {
      const watermarkMs = report.nextModifiedSince === undefined ? undefined : intacctTimestampMs(report.nextModifiedSince);
      await saveCustomerSyncPoll(deps.db, report.tenantId, report, watermarkMs);
    },
  } satisfies CustomerSyncActivities;
}
