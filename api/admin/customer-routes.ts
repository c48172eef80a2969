import { z } from 'zod';
import { isConnectorError } from '../../connectors/connector-error.js';
import { readOpenReceivables, readSyncCustomer } from '../../connectors/intacct/index.js';
import { openAttentionFor } from '../../store/attention.js';
import { readCustomerSyncRecords } from '../../store/customer-sync-state.js';
import { ledgerEntriesFor } from '../../store/ledger.js';
import { findMappingRow } from '../../store/mappings.js';
import { readSettings } from '../../store/settings.js';
import { HttpError } from '../errors.js';
import { requireCredentials } from './connections.js';
import { tenantIdSchema } from '../../store/tenants.js';
import type { Principal } from './auth.js';
import { visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';

/** Orders of the customer read from the store for the view: its most recent page. */
const ordersRead = 250;
/** Of those, the newest listed one by one with their ledger state (the console links each to its page). */
const ordersListed = 20;

const address = z.object({
  address1: z.string(),
  address2: z.string().optional(),
  city: z.string(),
  stateOrProvince: z.string(),
  postalCode: z.string(),
  countryCode: z.string(),
});

/** A storefront customer id as the view takes it (BigCommerce's numbers, Clarity's codes). */
export const storefrontCustomerIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'customerId must be a storefront customer id');

const customerView = z.object({
  tenantId: z.string(),
  customerId: z.string(),
  storefront: z.object({
    kind: z.enum(['bigcommerce', 'clarity']),
    customer: z
      .object({
        id: z.string(),
        email: z.string(),
        firstName: z.string(),
        lastName: z.string(),
        company: z.string(),
        phone: z.string(),
        customerGroupId: z.number().int(),
        modifiedAt: z.string(),
        addresses: z.array(address),
      })
      .nullable(),
  }),
  /** `updatedBy`: who wrote the row (`order-to-cash` when the product learned the match itself). */
  link: z.object({ intacctCustomerId: z.string(), updatedBy: z.string(), updatedAt: z.string() }).nullable(),
  intacct: z
    .object({
      customerId: z.string(),
      email: z.string(),
      companyName: z.string(),
      customerType: z.string(),
      onHold: z.boolean(),
      priceList: z.string(),
      terms: z.string(),
      modifiedAt: z.string(),
      /** Open AR: TOTALDUE summed over the customer's invoices, Intacct's decimal text. */
      openBalance: z.string(),
      openInvoices: z.number().int(),
    })
    .nullable(),
  orders: z.object({
    /** Of the customer's latest storefront orders (up to 250), how many the ledger holds in each state. */
    read: z.number().int(),
    synced: z.number().int(),
    parked: z.number().int(),
    pending: z.number().int(),
    notSynced: z.number().int(),
    /** The newest of them (up to 20), each with its ledger state, `notSynced` when the ledger has no entry. */
    latest: z.array(
      z.object({ orderId: z.string(), state: z.enum(['pending', 'synced', 'parked', 'skipped', 'cancelled', 'failed', 'notSynced']) }),
    ),
  }),
  lastSync: z
    .object({ at: z.string(), direction: z.enum(['toIntacct', 'toStorefront']), outcome: z.string(), fields: z.array(z.string()) })
    .nullable(),
  attention: z.array(z.object({ entity: z.string(), externalId: z.string(), code: z.string(), reason: z.string(), since: z.string() })),
});

/** The unified customer view, as the admin API answers it and the console draws it. */
export type CustomerView = z.infer<typeof customerView>;

/** Vendor failures as the admin API reports them: the system is unavailable, not the request wrong. */
async function fromVendor<T>(system: 'intacct' | 'storefront', read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!isConnectorError(error)) throw error;
    throw new HttpError(
      502,
      `${system}_unavailable`,
      `the ${system === 'intacct' ? 'Intacct' : 'storefront'} customer could not be read: ${error.message}`,
    );
  }
}

/**
 * The unified customer view: the storefront customer, the Intacct customer linked to it in the
 * customers mapping table, the link itself, how the customer's orders stand in the ledger, the
 * open AR balance Intacct holds, CustomerSync's last sync, and open attention items of its
 * orders, in one answer (admin API and console alike). Reads both systems live (one store
 * request for the customer, one for its orders; Intacct: one query for the customer and one per
 * 100 invoices). 404 when neither the store nor the mapping table knows the customer; 502 when
 * a vendor could not be read.
 */
export async function readCustomerView(
  deps: AdminDependencies,
  principal: Principal,
  tenantId: string,
  customerId: string,
): Promise<CustomerView> {
  const tenant = await visibleTenant(deps.db, principal, tenantId);
  const stored = await readSettings(deps.db, tenant._id);
  if (stored === null) throw notFoundError(`settings of ${tenant._id}`);
  const { settings } = stored;
  const storefront = settings.connection.storefront;

  const link = await findMappingRow(deps.db, tenant._id, 'customers', customerId);
  const intacctCustomerId = typeof link?.row.intacctCustomerId === 'string' ? link.row.intacctCustomerId : undefined;

  let storeCustomer: CustomerView['storefront']['customer'] = null;
  let orderIds: string[] = [];
  if (storefront.kind === 'bigcommerce' && /^\d+$/.test(customerId)) {
    const client = deps.connectors.bigCommerce(tenant._id, storefront, await requireCredentials(deps, tenant._id, 'bigcommerce'));
    const [found, orders] = await fromVendor('storefront', () =>
      Promise.all([
        client.customers.listCustomers({ ids: [Number(customerId)], includeAddresses: true }),
        client.orders.listOrders({ customer_id: Number(customerId), sort: 'id:desc', limit: ordersRead }),
      ]),
    );
    const customer = found.data[0];
    if (customer !== undefined)
      storeCustomer = {
        id: String(customer.id),
        email: customer.email,
        firstName: customer.first_name,
        lastName: customer.last_name,
        company: customer.company ?? '',
        phone: customer.phone ?? '',
        customerGroupId: customer.customer_group_id ?? 0,
        modifiedAt: customer.date_modified,
        addresses: (customer.addresses ?? []).map((entry) => ({
          address1: entry.address1,
          ...(entry.address2 !== undefined && { address2: entry.address2 }),
          city: entry.city,
          stateOrProvince: entry.state_or_province,
          postalCode: entry.postal_code,
          countryCode: entry.country_code,
        })),
      };
    orderIds = orders.map((order) => String(order.id));
  }
  if (storeCustomer === null && intacctCustomerId === undefined) throw notFoundError(`customer ${customerId} of ${tenant._id}`);

  let intacct: CustomerView['intacct'] = null;
  if (intacctCustomerId !== undefined) {
    const client = deps.connectors.intacct(tenant._id, settings.connection.intacct, await requireCredentials(deps, tenant._id, 'intacct'));
    const [books, receivables] = await fromVendor('intacct', () =>
      Promise.all([
        readSyncCustomer(client, intacctCustomerId, `customer-view:${intacctCustomerId}`.slice(0, 256)),
        readOpenReceivables(client, intacctCustomerId),
      ]),
    );
    if (books !== undefined)
      intacct = {
        customerId: books.customerId,
        email: books.email,
        companyName: books.companyName,
        customerType: books.customerType,
        onHold: books.onHold,
        priceList: books.priceList,
        terms: books.terms,
        modifiedAt: books.modifiedAt,
        openBalance: receivables.totalDue,
        openInvoices: receivables.invoices,
      };
  }

  const entries = await ledgerEntriesFor(deps.db, tenant._id, 'order', orderIds);
  const count = (state: string) => entries.filter((entry) => entry.state === state).length;
  const stateOf = new Map(entries.map((entry) => [entry.externalId, entry.state]));
  const record = (await readCustomerSyncRecords(deps.db, tenant._id, [customerId])).get(customerId);
  const attention = await openAttentionFor(deps.db, tenant._id, 'order', orderIds);
  return {
    tenantId: tenant._id,
    customerId,
    storefront: { kind: storefront.kind, customer: storeCustomer },
    link:
      link === null || intacctCustomerId === undefined
        ? null
        : { intacctCustomerId, updatedBy: link.updatedBy, updatedAt: link.updatedAt.toISOString() },
    intacct,
    orders: {
      read: orderIds.length,
      synced: count('synced'),
      parked: count('parked'),
      pending: count('pending'),
      notSynced: orderIds.length - entries.length,
      latest: orderIds.slice(0, ordersListed).map((orderId) => ({ orderId, state: stateOf.get(orderId) ?? 'notSynced' })),
    },
    lastSync:
      record?.lastSync === undefined
        ? null
        : {
            at: record.lastSync.at.toISOString(),
            direction: record.lastSync.direction,
            outcome: record.lastSync.outcome,
            fields: record.lastSync.fields,
          },
    attention: attention.map((item) => ({
      entity: item.entity,
      externalId: item.externalId,
      code: item.code,
      reason: item.reason,
      since: item.since.toISOString(),
    })),
  };
}

/** `GET …/customers/{customerId}`: the unified customer view ({@link readCustomerView}). */
export function registerCustomerRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'get',
    path: '/tenants/:tenantId/customers/:customerId',
    summary:
      "One storefront customer across both systems: the store's record, the linked Intacct customer, orders synced, open AR, last sync, open attention items",
    tag: 'customers',
    role: 'viewer',
    params: z.object({
      tenantId: tenantIdSchema,
      customerId: storefrontCustomerIdSchema,
    }),
    response: customerView,
    handler: ({ params, principal }) => readCustomerView(deps, principal, params.tenantId, params.customerId),
  });
}
