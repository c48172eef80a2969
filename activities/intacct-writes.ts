import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { maxControlIdLength, type IntacctClient } from '../connectors/intacct/index.js';
import { findLedgerEntry, type LedgerEntry } from '../store/ledger.js';
import type { ActivityDependencies } from './dependencies.js';

/** What every exactly-once Intacct write needs: a control id stable across attempts and runs, and the attempt it runs in. */

/**
 * A function control id for one logical Intacct write: the same parts give the same id in every
 * attempt and every run, so `uniqueid` recognises a repeat. Ids longer than Intacct's 256
 * characters become the operation and a SHA-256 of the whole id.
 */
export function intacctControlId(operation: string, ...parts: readonly string[]): string {
  const id = [operation, ...parts].join(':');
  if (id.length <= maxControlIdLength) return id;
  return `${operation}:sha256:${createHash('sha256').update(id).digest('hex')}`;
}

/** The Temporal attempt of the running activity (1 outside an activity, e.g. a script). */
export function activityAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

/**
 * The Intacct entity an order's documents live in, from its ledger entry: the entity the
 * tenant's rules routed it to, or undefined for the connection's own.
 */
export function orderEntityOf(entry: Pick<LedgerEntry, 'intacctEntityId'> | null | undefined): string | undefined {
  const entityId = entry?.intacctEntityId;
  return entityId === undefined || entityId === '' ? undefined : entityId;
}

/**
 * The tenant's Intacct client signed in where the order's documents live (see
 * {@link orderEntityOf}): every later write of the order (payment, invoice, cancellation,
 * credit) goes to the entity its sales document went to.
 */
export async function intacctForOrder(
  deps: Pick<ActivityDependencies, 'db' | 'connections'>,
  ref: { tenantId: string; orderId: string },
): Promise<IntacctClient> {
  const entry = await findLedgerEntry(deps.db, { tenantId: ref.tenantId, entity: 'order', externalId: ref.orderId });
  return (await deps.connections.forTenant(ref.tenantId)).intacct(orderEntityOf(entry));
}
