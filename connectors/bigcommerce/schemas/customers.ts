import { z } from 'zod';

/** V3 customer address: V3 names (`address1`, `state_or_province`, `postal_code`, `country_code`). */
export const customerAddress = z.object({
  id: z.number().int(),
  customer_id: z.number().int(),
  first_name: z.string(),
  last_name: z.string(),
  company: z.string().optional(),
  address1: z.string(),
  address2: z.string().optional(),
  city: z.string(),
  state_or_province: z.string(),
  postal_code: z.string(),
  country_code: z.string(),
  country: z.string().optional(),
  phone: z.string().optional(),
  address_type: z.enum(['residential', 'commercial']).optional(),
});

/** `GET /v3/customers` item. */
export const customer = z.object({
  id: z.number().int(),
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  company: z.string().optional(),
  phone: z.string().optional(),
  customer_group_id: z.number().int().optional(),
  notes: z.string().optional(),
  tax_exempt_category: z.string().optional(),
  date_created: z.string(),
  date_modified: z.string(),
  addresses: z.array(customerAddress).optional(),
});
export type Customer = z.infer<typeof customer>;

/** Filters of `GET /v3/customers` (lists are joined with commas for the `:in` filters). */
export interface CustomerListFilter {
  ids?: number[];
  emails?: string[];
  companies?: string[];
  dateModifiedMin?: string;
  includeAddresses?: boolean;
}

/** One customer of `PUT /v3/customers`: its id and the fields to change. */
export interface CustomerUpdateInput {
  id: number;
  email?: string;
  first_name?: string;
  last_name?: string;
  company?: string;
  phone?: string;
  customer_group_id?: number;
}
