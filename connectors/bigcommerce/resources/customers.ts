import { z } from 'zod';
import { BigCommerceInputError, BigCommerceUnexpectedResponseError } from '../errors.js';
import { customer, type Customer, type CustomerListFilter, type CustomerUpdateInput } from '../schemas/customers.js';
import type { BigCommerceTransport } from '../transport.js';
import { readV3Page, type V3Page } from './paging.js';

/** `PUT /v3/customers` takes at most 10 customers per call. */
export const maxCustomerBatch = 10;

const customerBatchResult = z.object({ data: z.array(customer) });

/** V3 customers. */
export interface CustomersResource {
  listCustomers(filter?: CustomerListFilter & { page?: number; limit?: number }): Promise<V3Page<Customer>>;
  /** The customer with this email, or undefined (BigCommerce matches emails exactly). */
  findCustomerByEmail(email: string): Promise<Customer | undefined>;
  /**
   * Updates 1–10 customers in one call; only the fields given change. BigCommerce applies the
   * batch whole or refuses it (422), which surfaces as a `BigCommerceInputError`.
   */
  updateCustomers(updates: CustomerUpdateInput[]): Promise<Customer[]>;
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
    async updateCustomers(updates) {
      if (updates.length === 0 || updates.length > maxCustomerBatch) {
        throw new BigCommerceInputError(`a customer batch takes 1 to ${maxCustomerBatch} customers, not ${updates.length}`, {
          vendorCode: 'too_many_items',
        });
      }
      const response = await transport.send({ version: 'v3', method: 'PUT', path: '/customers', json: updates });
      const parsed = customerBatchResult.safeParse(response.body);
      if (!parsed.success)
        throw new BigCommerceUnexpectedResponseError('BigCommerce PUT v3/customers: response does not match the documented shape', {
          status: response.status,
          vendorCode: 'unexpected_response',
        });
      return parsed.data.data;
    },
  };
}
