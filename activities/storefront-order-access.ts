import { createHash } from 'node:crypto';
import type { ApplicationFailure } from '@temporalio/common';
import { BigCommerceInputError } from '../connectors/bigcommerce/index.js';
import { ClarityInputError } from '../connectors/clarity/index.js';
import { orderToCashFailures } from '../workflows/order-to-cash-contract.js';
import { flowFailure } from './flow-failure.js';
import type { OrderRef } from '../workflows/shared-contract.js';
import type { StorefrontConnection, TenantConnection } from './tenant-connections.js';

/** OrderToCash's `OrderNotFound` failure for an order the storefront does not have. */
export function orderNotFound(ref: OrderRef, reason: string, cause?: unknown): ApplicationFailure {
  return flowFailure(
    orderToCashFailures,
    'OrderNotFound',
    `${ref.storefront} order ${ref.orderId} of tenant ${ref.tenantId} ${reason}`,
    cause instanceof Error ? { cause } : {},
  );
}

function isNotFound(error: unknown): boolean {
  return (error instanceof BigCommerceInputError || error instanceof ClarityInputError) && error.status === 404;
}

/** Runs storefront calls about one order; a 404 from any of them means the order is not there. */
export async function aboutOrder<T>(ref: OrderRef, calls: () => Promise<T>): Promise<T> {
  try {
    return await calls();
  } catch (error) {
    if (isNotFound(error)) throw orderNotFound(ref, 'does not exist on the storefront', error);
    throw error;
  }
}

/**
 * Like `Promise.all`, but waits for every call to finish before failing with the first
 * failure (in argument order), so no request of a failed attempt is still queued or in flight
 * when the activity has already ended.
 */
export async function settleAll<T extends readonly unknown[]>(calls: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(calls);
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** BigCommerce order ids are positive integers; anything else cannot name an order there. */
export function bigCommerceOrderId(ref: OrderRef): number {
  const id = ref.orderId.trim();
  if (!/^[1-9]\d{0,14}$/.test(id)) throw orderNotFound(ref, 'is not a BigCommerce order id (a positive whole number)');
  return Number(id);
}

/** A storefront idempotency key from stable ids: visible ASCII, bounded, the same on every retry. */
export function idempotencyKey(kind: string, ...parts: readonly string[]): string {
  return `${kind}-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40)}`;
}

/** The tenant's storefront connection, refused when it is not the storefront the order reference names. */
export async function storefrontOf(connection: TenantConnection, ref: OrderRef): Promise<StorefrontConnection> {
  const storefront = await connection.storefront();
  if (storefront.kind !== ref.storefront) {
    throw flowFailure(
      orderToCashFailures,
      'StorefrontMismatch',
      `tenant ${ref.tenantId} is connected to ${storefront.kind}, but the order reference names ${ref.storefront} order ${ref.orderId}`,
    );
  }
  return storefront;
}
