import { Router } from 'express';
import { pathParam, requireScope, type StateRef, stringParam, timestampParam } from '../context.js';
import { page, readPageQuery } from '../paging.js';
import { notFound } from '../problems.js';
import { customerToWire, type CustomerRecord } from '../records.js';

/** Customer lookup by id and by email, and the incremental pull (`updatedSince`, oldest change first, as orders). */
export function customerRoutes(state: StateRef): Router {
  const router = Router();

  router.get('/api/v1/customers', requireScope(state, 'customers:read'), (request, response) => {
    const query = request.query as Record<string, unknown>;
    const paging = readPageQuery(query);
    const email = stringParam(query, 'email')?.toLowerCase();
    const updatedSince = timestampParam(query, 'updatedSince');
    const customers = [...state().store.customers.values()]
      .filter(
        (customer) =>
          (email === undefined || customer.email.toLowerCase() === email) &&
          (updatedSince === undefined || customer.updatedAt >= updatedSince),
      )
      .sort((a, b) => customerKey(a).localeCompare(customerKey(b)));
    const result = page(customers, customerKey, paging);
    response.json({ data: result.data.map(customerToWire), nextCursor: result.nextCursor });
  });

  router.get('/api/v1/customers/:customerId', requireScope(state, 'customers:read'), (request, response) => {
    const customer = state().store.customers.get(pathParam(request, 'customerId'));
    if (customer === undefined) throw notFound(`customer ${pathParam(request, 'customerId')}`);
    response.json(customerToWire(customer));
  });

  return router;
}

function customerKey(customer: CustomerRecord): string {
  return `${customer.updatedAt}|${customer.customerId}`;
}
