import { customer, type Customer, type CustomerListFilter } from '../schemas/customers.js';
import type { BigCommerceTransport } from '../transport.js';
import { readV3Page, type V3Page } from './paging.js';

/** V3 customers. */
export interface CustomersResource {
  listCustomers(filter?: CustomerListFilter & { page?: number; limit?: number }): Promise<V3Page<Customer>>;
  /** The customer with this email, or undefined (BigCommerce matches emails exactly). */
  findCustomerByEmail(email: string): Promise<Customer | undefined>;
}

export function customersResource(transport: BigCommerceTransport): CustomersResource {
  const list: CustomersResource['listCustomers'] = (filter = {}) =>
    readV3Page(
      transport,
      {
        version: 'v3',
        method: 'GET',
        path: '/customers',
        searchParams: {
          'id:in': filter.ids?.join(','),
          'email:in': filter.emails?.join(','),
          'company:in': filter.companies?.join(','),
          'date_modified:min': filter.dateModifiedMin,
          include: filter.includeAddresses ? 'addresses' : undefined,
          page: filter.page,
          limit: filter.limit,
        },
      },
      customer,
    );
  return {
    listCustomers: list,
    findCustomerByEmail: async (email) => (await list({ emails: [email], includeAddresses: true })).data[0],
  };
}
