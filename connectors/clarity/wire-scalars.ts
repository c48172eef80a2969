import { z } from 'zod';

/* The scalar shapes shared by Clarity's record and event bodies (see `wire-mapping.ts`). */

/** A decimal amount as Clarity writes it: a string with two decimals. */
export const money = z.string().regex(/^-?\d+\.\d{2}$/, 'a decimal amount with two decimals');
/** A UTC timestamp without offset. */
export const timestamp = z.iso.datetime({ offset: false });
/** An ISO 4217 currency code. */
export const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code');
/** The order statuses Clarity knows. */
export const orderStatus = z.enum(['pending', 'processing', 'fulfilled', 'cancelled', 'refunded']);
/** The return (RMA) statuses Clarity knows. */
export const returnStatus = z.enum(['requested', 'approved', 'received', 'refunded', 'rejected']);
/** The webhook event types Clarity sends. */
export const eventType = z.enum(['order.created', 'order.updated', 'product.updated', 'return.created']);
