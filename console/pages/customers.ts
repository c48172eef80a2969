import type { Request, Response, Router } from 'express';
import { readCustomerView, storefrontCustomerIdSchema, type CustomerView } from '../../api/admin/customer-routes.js';
import { HttpError } from '../../api/errors.js';
import { listMappingRows } from '../../store/mappings.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../layout.js';
import { tenantPage } from '../tenant-page.js';
import { consolePath, formatTime, html, queryString, type SafeHtml, sendHtml } from '../templates.js';

/** Why a value is not an id the view takes (a hostile one included), in words. */
const notAnId = 'not a storefront customer id (letters, digits, - and _, up to 64 characters)';

/** Linked customers listed on the index: the first page of the customers mapping table. */
const linkedShown = 50;

function lookupForm(tenantId: string, value: string, error: string | undefined): SafeHtml {
  return html`<form method="get" action="${consolePath('tenants', tenantId, 'customers')}">
    <label for="customer-lookup">Storefront customer id</label>
    <input
      id="customer-lookup"
      name="customerId"
      required
      maxlength="64"
      autocomplete="off"
      value="${value}"
      ${error !== undefined && html` aria-invalid="true" aria-describedby="customer-lookup-error"`}
    />
    ${error !== undefined && html`<p id="customer-lookup-error" class="field-error">${error}</p>`}
    <button type="submit">Open the customer</button>
  </form>`;
}

/**
 * The customers index: a look-up by storefront customer id (a valid one goes straight to the
 * customer's page) and the customers the mapping table links to Intacct.
 */
async function renderCustomers(deps: ConsoleDependencies, request: Request, response: Response, tenantId: string): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'customers');
  const { tenant } = context;
  const asked = typeof request.query.customerId === 'string' ? request.query.customerId : undefined;
  let error: string | undefined;
  if (asked !== undefined) {
    const parsed = storefrontCustomerIdSchema.safeParse(asked);
    if (parsed.success) {
      response.redirect(303, consolePath('tenants', tenant._id, 'customers', parsed.data));
      return;
    }
    error = `this is ${notAnId}.`;
  }
  const linked = await listMappingRows(deps.db, tenant._id, 'customers', { limit: linkedShown });
  // Guest emails are keys of the table too; only storefront customer ids have a view.
  const customers = linked.items.filter((row) => storefrontCustomerIdSchema.safeParse(row.key).success);
  sendHtml(
    response,
    page(
      context.frame('Customers', error === undefined ? undefined : { kind: 'error', text: `No customer opened: ${error}` }),
      html`<h1>Customers</h1>
        <section aria-labelledby="lookup-heading">
          <h2 id="lookup-heading">Open a customer</h2>
          <p>One storefront customer across both systems: the store's record, the linked Intacct customer, orders synced, open AR.</p>
          ${lookupForm(tenant._id, asked ?? '', error)}
        </section>
        <section aria-labelledby="linked-heading">
          <h2 id="linked-heading">Linked customers</h2>
          ${
            customers.length === 0
              ? html`<p>No storefront customer is linked to an Intacct customer yet.</p>`
              : html`<table>
                  <thead>
                    <tr>
                      <th scope="col">Storefront customer</th>
                      <th scope="col">Intacct customer</th>
                      <th scope="col">Linked by</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${customers.map(
                      (row) =>
                        html`<tr>
                          <td><a href="${consolePath('tenants', tenant._id, 'customers', row.key)}">${row.key}</a></td>
                          <td>${typeof row.row.intacctCustomerId === 'string' ? row.row.intacctCustomerId : ''}</td>
                          <td>${row.updatedBy}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
          }
          ${
            linked.nextCursor !== undefined &&
            html`<p>
              <a href="${consolePath('tenants', tenant._id, 'mappings', 'customers')}">Every row in the customers mapping table</a>
            </p>`
          }
        </section>`,
    ),
  );
}

function storefrontSection(view: CustomerView): SafeHtml {
  const customer = view.storefront.customer;
  const store = view.storefront.kind === 'bigcommerce' ? 'BigCommerce' : 'Clarity';
  if (customer === null)
    return html`<p>${store} has no customer ${view.customerId} that the product can read; the mapping table links the id.</p>`;
  return html`<dl class="facts">
    <dt>Name</dt>
    <dd>${`${customer.firstName} ${customer.lastName}`.trim()}</dd>
    <dt>Email</dt>
    <dd>${customer.email}</dd>
    <dt>Company</dt>
    <dd>${customer.company}</dd>
    <dt>Phone</dt>
    <dd>${customer.phone}</dd>
    <dt>Customer group</dt>
    <dd>${customer.customerGroupId}</dd>
    <dt>Modified</dt>
    <dd>${formatTime(new Date(customer.modifiedAt))}</dd>
    <dt>Addresses</dt>
    <dd>
      ${
        customer.addresses.length === 0
          ? 'none'
          : html`<ul>
              ${customer.addresses.map(
                (address) =>
                  html`<li>
                    ${[address.address1, address.address2, address.city, address.stateOrProvince, address.postalCode, address.countryCode]
                      .filter((part) => part !== undefined && part !== '')
                      .join(', ')}
                  </li>`,
              )}
            </ul>`
      }
    </dd>
  </dl>`;
}

function intacctSection(view: CustomerView): SafeHtml {
  const { intacct, link } = view;
  if (link === null) return html`<p>Not linked: the customers mapping table has no Intacct customer for this storefront customer.</p>`;
  if (intacct === null) return html`<p>The linked Intacct customer ${link.intacctCustomerId} is not in Intacct.</p>`;
  return html`<dl class="facts">
    <dt>Customer ID</dt>
    <dd>${intacct.customerId}</dd>
    <dt>Company</dt>
    <dd>${intacct.companyName}</dd>
    <dt>Email</dt>
    <dd>${intacct.email}</dd>
    <dt>Customer type</dt>
    <dd>${intacct.customerType}</dd>
    <dt>Credit hold</dt>
    <dd>${intacct.onHold ? 'on hold' : 'no'}</dd>
    <dt>Price list</dt>
    <dd>${intacct.priceList}</dd>
    <dt>Terms</dt>
    <dd>${intacct.terms}</dd>
    <dt>Modified</dt>
    <dd>${intacct.modifiedAt}</dd>
    <dt>Open AR balance</dt>
    <dd id="open-balance">${intacct.openBalance}</dd>
    <dt>Open invoices</dt>
    <dd id="open-invoices">${intacct.openInvoices}</dd>
  </dl>`;
}

function ordersSection(tenantId: string, view: CustomerView): SafeHtml {
  const { orders } = view;
  const rows: Array<[string, number]> = [
    ['Synced', orders.synced],
    ['Parked', orders.parked],
    ['Pending', orders.pending],
    ['Not in the sync log', orders.notSynced],
  ];
  return html`<p>Of the customer's latest ${orders.read} storefront order(s):</p>
    <dl class="facts orders-synced">
      ${rows.map(
        ([name, count]) =>
          html`<dt>${name}</dt>
            <dd>${count}</dd>`,
      )}
    </dl>
    ${
      orders.latest.length > 0 &&
      html`<table>
        <caption>
          The newest ${orders.latest.length}
        </caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Sync log state</th>
          </tr>
        </thead>
        <tbody>
          ${orders.latest.map(
            (order) =>
              html`<tr>
                <td><a href="${consolePath('tenants', tenantId, 'orders', order.orderId)}">${order.orderId}</a></td>
                <td class="state state-${order.state}">${order.state === 'notSynced' ? 'not in the sync log' : order.state}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    }`;
}

function attentionSection(tenantId: string, view: CustomerView): SafeHtml {
  if (view.attention.length === 0) return html`<p>No open attention item on the customer's orders.</p>`;
  return html`<ul class="items">
    ${view.attention.map(
      (item) =>
        html`<li>
          <a href="${consolePath('tenants', tenantId, 'orders', item.externalId)}">Order ${item.externalId}</a>:
          <a href="${consolePath('tenants', tenantId, 'attention') + queryString({ code: item.code, entity: item.entity })}"
            >${item.code}</a
          >
          since ${formatTime(new Date(item.since))}: ${item.reason}
        </li>`,
    )}
  </ul>`;
}

/**
 * One customer's page: the unified customer view the admin API answers
 * (`GET …/customers/{customerId}`, {@link readCustomerView}), drawn. The use case's 404 and
 * 502 (a vendor could not be read, in its words) are the console's error pages.
 */
async function renderCustomer(deps: ConsoleDependencies, response: Response, tenantId: string, customerId: string): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'customers');
  const { tenant, signedIn } = context;
  const parsed = storefrontCustomerIdSchema.safeParse(customerId);
  if (!parsed.success) throw new HttpError(404, 'customer_not_found', `No customer ${customerId}: ${notAnId}.`);
  const view = await readCustomerView(deps, signedIn.principal, tenant._id, parsed.data);
  const { link, lastSync } = view;
  sendHtml(
    response,
    page(
      context.frame(`Customer ${view.customerId}`),
      html`<h1>Customer ${view.customerId}</h1>
        <section aria-labelledby="link-heading">
          <h2 id="link-heading">Link</h2>
          ${
            link === null
              ? html`<p>Not linked to an Intacct customer.</p>`
              : html`<p>
                  Storefront customer ${view.customerId} is Intacct customer ${link.intacctCustomerId}, written by ${link.updatedBy} on
                  ${formatTime(new Date(link.updatedAt))}.
                </p>`
          }
        </section>
        <section aria-labelledby="storefront-heading">
          <h2 id="storefront-heading">In the store</h2>
          ${storefrontSection(view)}
        </section>
        <section aria-labelledby="intacct-heading">
          <h2 id="intacct-heading">In Intacct</h2>
          ${intacctSection(view)}
        </section>
        <section aria-labelledby="orders-heading">
          <h2 id="orders-heading">Orders synced</h2>
          ${ordersSection(tenant._id, view)}
        </section>
        <section aria-labelledby="last-sync-heading">
          <h2 id="last-sync-heading">Last sync</h2>
          ${
            lastSync === null
              ? html`<p>CustomerSync has not synced this customer yet.</p>`
              : html`<p id="last-sync">
                  ${formatTime(new Date(lastSync.at))}, ${lastSync.direction === 'toIntacct' ? 'store to Intacct' : 'Intacct to store'}:
                  ${lastSync.outcome}${lastSync.fields.length > 0 ? ` (${lastSync.fields.join(', ')})` : ''}
                </p>`
          }
        </section>
        <section aria-labelledby="attention-heading">
          <h2 id="attention-heading">Open attention items</h2>
          ${attentionSection(tenant._id, view)}
        </section>`,
    ),
  );
}

/** The customers index and one customer's page, under /console/tenants/:tenantId/customers. */
export function registerCustomerPages(router: Router, deps: ConsoleDependencies): void {
  router.get('/tenants/:tenantId/customers', (request, response) => renderCustomers(deps, request, response, request.params.tenantId));
  router.get('/tenants/:tenantId/customers/:customerId', (request, response) =>
    renderCustomer(deps, response, request.params.tenantId, request.params.customerId),
  );
}
