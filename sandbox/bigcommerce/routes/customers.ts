import { Router } from 'express';
import { z } from 'zod';
import { v3Date } from '../formats.js';
import { customerGroups, type Customer } from '../model.js';
import { listFilter, readPaging, v3Pagination } from '../responses.js';
import { SandboxError, type SandboxStore } from '../store.js';

/** `POST`/`PUT /v3/customers` take at most 10 customers per call (413 above). */
const maxCustomerBatch = 10;

const customerUpdate = z.object({
  id: z.number().int(),
  email: z.string().email().max(255).optional(),
  first_name: z.string().min(1).max(100).optional(),
  last_name: z.string().min(1).max(100).optional(),
  company: z.string().max(255).optional(),
  phone: z.string().max(50).optional(),
  customer_group_id: z.number().int().min(0).optional(),
});

const addressUpdate = z.object({
  id: z.number().int(),
  address1: z.string().min(1).max(255).optional(),
  address2: z.string().max(255).optional(),
  city: z.string().min(1).max(100).optional(),
  state_or_province: z.string().max(100).optional(),
  postal_code: z.string().max(30).optional(),
  country_code: z.string().length(2).optional(),
});

const newAddress = z.object({
  address1: z.string().min(1).max(255),
  address2: z.string().max(255).default(''),
  city: z.string().min(1).max(100),
  state_or_province: z.string().max(100).default(''),
  postal_code: z.string().max(30).default(''),
  country_code: z.string().length(2),
});

const newCustomer = z.object({
  email: z.string().email().max(255),
  first_name: z.string().min(1).max(100),
  last_name: z.string().min(1).max(100),
  company: z.string().max(255).default(''),
  phone: z.string().max(50).default(''),
  customer_group_id: z.number().int().min(0).optional(),
  addresses: z.array(newAddress).max(10).default([]),
});

const countryNames: Readonly<Record<string, string>> = { US: 'United States', CA: 'Canada', GB: 'United Kingdom' };

const batchOf = (body: unknown): unknown[] => {
  if (!Array.isArray(body) || body.length === 0)
    throw new SandboxError(422, 'JSON data is missing or invalid', { body: 'error.expected.jsarray' });
  if (body.length > maxCustomerBatch) throw new SandboxError(413, `The maximum items allowed in the array is ${maxCustomerBatch}`);
  return body;
};

/**
 * V3 customers: the list (filters, `include=addresses`), registrations (`POST`, 10 at most, an
 * email already in use refused, `store/customer/created` for each), batch updates of customers (10 at most,
 * applied whole or refused with 422, `store/customer/updated` for each) and of their addresses
 * (`store/customer/address/updated`, whose `data.id` is the address and `data.address.customer_id`
 * its customer, as BigCommerce sends it), and V2 customer groups. A customer update that changes
 * nothing still fires its webhook, as the store does.
 */
export function v3CustomerRoutes(store: SandboxStore): Router {
  const router = Router({ mergeParams: true });

  const customerView = (customer: Customer, withAddresses: boolean) => ({
    id: customer.id,
    email: customer.email,
    first_name: customer.firstName,
    last_name: customer.lastName,
    company: customer.company,
    phone: customer.phone,
    notes: '',
    tax_exempt_category: '',
    customer_group_id: customer.customerGroupId ?? 0,
    registration_ip_address: '',
    date_created: v3Date(customer.createdAt),
    date_modified: v3Date(customer.modifiedAt),
    address_count: customer.addresses.length,
    attribute_count: 0,
    authentication: { force_password_reset: false },
    accepts_product_review_abandoned_cart_emails: false,
    origin_channel_id: 1,
    channel_ids: [1],
    ...(withAddresses && {
      addresses: customer.addresses.map((address) => ({
        ...address,
        customer_id: customer.id,
        first_name: customer.firstName,
        last_name: customer.lastName,
        company: customer.company,
        phone: customer.phone,
        address_type: 'residential',
      })),
    }),
  });

  router.get('/customers', (request, response) => {
    const paging = readPaging(request.query, 250);
    if (!paging) throw new SandboxError(422, 'The page or limit parameter is invalid.');
    const query = request.query as Record<string, string | undefined>;
    const ids = listFilter(query['id:in'])?.map(Number);
    const emails = listFilter(query['email:in'])?.map((email) => email.toLowerCase());
    const companies = listFilter(query['company:in']);
    const groups = listFilter(query['customer_group_id:in'])?.map(Number);
    const modifiedMin = query['date_modified:min'] ? new Date(query['date_modified:min']) : undefined;
    const withAddresses = listFilter(query.include)?.includes('addresses') ?? false;
    const all = store.state.customers.filter(
      (customer) =>
        (ids === undefined || ids.includes(customer.id)) &&
        (emails === undefined || emails.includes(customer.email.toLowerCase())) &&
        (companies === undefined || companies.includes(customer.company)) &&
        (groups === undefined || groups.includes(customer.customerGroupId ?? 0)) &&
        (modifiedMin === undefined || customer.modifiedAt >= modifiedMin),
    );
    const rows = all.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    response.json({
      data: rows.map((customer) => customerView(customer, withAddresses)),
      meta: v3Pagination(all.length, paging.page, paging.limit, rows.length),
    });
  });

  // A registration: each customer is new (an email the store already has is refused whole, as BigCommerce does).
  router.post('/customers', (request, response) => {
    const created = batchOf(request.body).map((input, index) => {
      const parsed = newCustomer.safeParse(input);
      if (!parsed.success)
        throw new SandboxError(422, 'The request payload is invalid', { [`${index}`]: parsed.error.issues[0]?.message ?? 'invalid' });
      const email = parsed.data.email.toLowerCase();
      if (store.state.customers.some((customer) => customer.email.toLowerCase() === email))
        throw new SandboxError(422, 'The request payload is invalid', { [`${index}.email`]: `email ${parsed.data.email} already in use` });
      return parsed.data;
    });
    const now = new Date();
    let nextAddressId = Math.max(0, ...store.state.customers.flatMap((existing) => existing.addresses.map((known) => known.id))) + 1;
    const customers = created.map((input) => {
      const customer: Customer = {
        id: Math.max(0, ...store.state.customers.map((existing) => existing.id)) + 1,
        email: input.email,
        firstName: input.first_name,
        lastName: input.last_name,
        company: input.company,
        phone: input.phone,
        ...(input.customer_group_id !== undefined && { customerGroupId: input.customer_group_id }),
        createdAt: now,
        modifiedAt: now,
        addresses: input.addresses.map((address) => ({
          id: nextAddressId++,
          ...address,
          country: countryNames[address.country_code] ?? address.country_code,
        })),
      };
      store.state.customers.push(customer);
      store.emit('store/customer/created', { type: 'customer', id: customer.id });
      return customer;
    });
    response.json({ data: customers.map((customer) => customerView(customer, true)), meta: {} });
  });

  router.put('/customers', (request, response) => {
    const updates = batchOf(request.body).map((update, index) => {
      const parsed = customerUpdate.safeParse(update);
      if (!parsed.success)
        throw new SandboxError(422, 'The request payload is invalid', { [`${index}`]: parsed.error.issues[0]?.message ?? 'invalid' });
      const target = store.state.customers.find((customer) => customer.id === parsed.data.id);
      if (!target)
        throw new SandboxError(422, 'The request payload is invalid', { [`${index}.id`]: `customer ${parsed.data.id} does not exist` });
      const group = parsed.data.customer_group_id;
      if (group !== undefined && group !== 0 && !customerGroups.some((candidate) => candidate.id === group))
        throw new SandboxError(422, 'The request payload is invalid', {
          [`${index}.customer_group_id`]: `customer group ${group} does not exist`,
        });
      return { target, changes: parsed.data };
    });
    const now = new Date();
    for (const { target, changes } of updates) {
      if (changes.email !== undefined) target.email = changes.email;
      if (changes.first_name !== undefined) target.firstName = changes.first_name;
      if (changes.last_name !== undefined) target.lastName = changes.last_name;
      if (changes.company !== undefined) target.company = changes.company;
      if (changes.phone !== undefined) target.phone = changes.phone;
      if (changes.customer_group_id !== undefined) target.customerGroupId = changes.customer_group_id;
      target.modifiedAt = now;
      store.emit('store/customer/updated', { type: 'customer', id: target.id });
    }
    const data = updates.map(({ target }) => customerView(target, false));
    response.json({ data, meta: {} });
  });

  router.put('/customers/addresses', (request, response) => {
    const updates = batchOf(request.body).map((update, index) => {
      const parsed = addressUpdate.safeParse(update);
      if (!parsed.success)
        throw new SandboxError(422, 'The request payload is invalid', { [`${index}`]: parsed.error.issues[0]?.message ?? 'invalid' });
      const customer = store.state.customers.find((candidate) => candidate.addresses.some((address) => address.id === parsed.data.id));
      if (!customer)
        throw new SandboxError(422, 'The request payload is invalid', { [`${index}.id`]: `address ${parsed.data.id} does not exist` });
      return { customer, address: customer.addresses.find((address) => address.id === parsed.data.id)!, changes: parsed.data };
    });
    for (const { customer, address, changes } of updates) {
      const { id: _id, ...fields } = changes;
      Object.assign(address, Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)));
      // An address edit is the address's event, not the customer's: `date_modified` stays.
      store.emit('store/customer/address/updated', { type: 'customer', id: address.id, address: { customer_id: customer.id } });
    }
    const data = updates.map(({ customer, address }) => ({ ...address, customer_id: customer.id, address_type: 'residential' }));
    response.json({ data, meta: {} });
  });

  return router;
}

/** V2 customer groups: the store's fixed list. */
export function v2CustomerGroupRoutes(): Router {
  const router = Router({ mergeParams: true });
  router.get('/customer_groups', (_request, response) => {
    response.json(
      customerGroups.map((group) => ({
        id: group.id,
        name: group.name,
        is_default: false,
        category_access: { type: 'all' },
        discount_rules: [],
      })),
    );
  });
  router.get('/customer_groups/:id', (request, response) => {
    const group = customerGroups.find((candidate) => String(candidate.id) === request.params.id);
    if (!group) throw new SandboxError(404, 'The requested resource was not found.');
    response.json({ id: group.id, name: group.name, is_default: false, category_access: { type: 'all' }, discount_rules: [] });
  });
  return router;
}
