import { z } from 'zod';

/** A V2 money field: a decimal string, usually with 4 places (`"62.6793"`), sometimes fewer (`"8"`). */
export const moneyString = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string');

/** A V2 date: RFC 2822 (`"Tue, 05 Mar 2019 21:40:11 +0000"`), or `""` when it has not happened. */
export const rfc2822Date = z
  .string()
  .regex(/^$|^(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s+[+-]\d{4}$/, 'expected an RFC 2822 date');

/** V2 sends some counters and ids as numbers or numeric strings depending on the endpoint. */
export const numberLike = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);

/** V3 `meta.pagination`. */
export const pagination = z.object({
  total: z.number().int(),
  count: z.number().int(),
  per_page: z.number().int(),
  current_page: z.number().int(),
  total_pages: z.number().int(),
  links: z.object({ previous: z.string().optional(), current: z.string().optional(), next: z.string().optional() }).optional(),
});
export type Pagination = z.infer<typeof pagination>;

/** A V3 collection: `{ data: [...], meta: { pagination } }`. */
export function v3Collection<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), meta: z.object({ pagination: pagination.optional() }).optional() });
}

/** A V3 single resource: `{ data: {...}, meta: {} }`. */
export function v3Single<T extends z.ZodType>(item: T) {
  return z.object({ data: item });
}

/** A V3 error body (also the `errors` part of a 207). */
export const v3ErrorBody = z.object({
  status: z.number().optional(),
  title: z.string().optional(),
  type: z.string().optional(),
  code: z.union([z.string(), z.number()]).optional(),
  instance: z.string().optional(),
  errors: z.record(z.string(), z.unknown()).optional(),
});
export type V3ErrorBody = z.infer<typeof v3ErrorBody>;

/** A V2 error body: an array of `{status, message, details?}`. */
export const v2ErrorBody = z.array(
  z.object({ status: z.number().optional(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
);
