import type { Db, Document } from 'mongodb';
import type { GuestMappingKeys } from './guest-mapping-keys.js';
import { forgetRejectedSuggestions } from './suggestion-rejections.js';

/** What replaces a shopper's personal data that was asked to be erased. */
export const erasedText = '[erased]';
/** What replaces personal text kept past the tenant's retention. */
export const expiredText = '[removed after the retention period]';

/** Collections and the fields of theirs that may quote a shopper (vendor messages, alert texts, audit details). */
const textFields = {
  attention_queue: ['reason', 'fix', 'details'],
  sync_ledger: ['lastError'],
  alert_outbox: ['reason', 'fix', 'details'],
  webhook_dead_letters: ['reason'],
  audit_log: ['target', 'details'],
} as const;
type TextCollection = keyof typeof textFields;

/** What one shopper's erasure changed, by record kind. */
export interface CustomerErasure {
  attentionItems: number;
  ledgerEntries: number;
  alerts: number;
  deadLetters: number;
  auditEntries: number;
  /** Customer mapping rows keyed by the shopper's email, deleted (rows keyed by a customer id are kept). */
  mappingRows: number;
}

/** How the shopper is recognised in stored text: what they gave the store. */
export interface ShopperIdentifiers {
  /** The storefront customer id: customer mapping rows keyed by it are kept (an id, not contact data). */
  customerId?: string | undefined;
  email?: string | undefined;
  names?: readonly string[] | undefined;
  phones?: readonly string[] | undefined;
  addressLines?: readonly string[] | undefined;
}

/** Every string inside `value` with each match of `pattern` replaced; undefined when nothing matched. */
export function redactMatches(value: unknown, pattern: RegExp): unknown {
  let changed = false;
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') {
      const replaced = item.replace(pattern, erasedText);
      if (replaced !== item) changed = true;
      return replaced;
    }
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object' && !(item instanceof Date)) {
      return Object.fromEntries(Object.entries(item).map(([name, child]) => [name, walk(child)]));
    }
    return item;
  };
  const result = walk(value);
  return changed ? result : undefined;
}

/** One case-insensitive pattern for every identifier of 3 characters or more (shorter ones would match inside amounts and ids). */
export function shopperPattern(shopper: ShopperIdentifiers): RegExp | undefined {
  const terms = [shopper.email, ...(shopper.names ?? []), ...(shopper.phones ?? []), ...(shopper.addressLines ?? [])]
    .map((term) => term?.trim())
    .filter((term): term is string => term !== undefined && term.length >= 3)
    .sort((a, b) => b.length - a.length);
  if (terms.length === 0) return undefined;
  return new RegExp(terms.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
}

/**
 * Erases one shopper's personal data from what the product keeps in MongoDB for a tenant:
 * their email, names, phones and address lines are replaced by {@link erasedText} wherever
 * stored text quotes them (attention items, the ledger's error messages, alerts, dead letters,
 * the audit log), and customer mapping rows keyed by their email (its keyed hash under any of
 * `guestKeys`, or the plain email of rows from before) are deleted, as are rejected customers
 * suggestions keyed by it. The accounting facts stay:
 * ledger entries, Intacct keys, amounts, codes and ids are not touched.
 */
export async function eraseShopper(
  db: Db,
  tenantId: string,
  shopper: ShopperIdentifiers,
  guestKeys: GuestMappingKeys,
): Promise<CustomerErasure> {
  const pattern = shopperPattern(shopper);
  const redact = (name: TextCollection) => (pattern === undefined ? Promise.resolve(0) : redactCollection(db, name, tenantId, pattern));
  const [attentionItems, ledgerEntries, alerts, deadLetters, auditEntries] = await Promise.all([
    redact('attention_queue'),
    redact('sync_ledger'),
    redact('alert_outbox'),
    redact('webhook_dead_letters'),
    redact('audit_log'),
  ]);
  const givenEmail = shopper.email?.trim();
  const email = givenEmail?.toLowerCase();
  const mappingRows =
    email === undefined || email === ''
      ? 0
      : (await db.collection('mapping_rows').deleteMany({ tenantId, table: 'customers', key: { $in: guestKeys.candidates(email) } }))
          .deletedCount;
  // A rejected customers suggestion is keyed by the storefront value, a guest's email as given.
  if (givenEmail !== undefined && email !== undefined && email !== '')
    await forgetRejectedSuggestions(db, tenantId, 'customers', [...new Set([givenEmail, email, ...guestKeys.candidates(email)])]);
  return { attentionItems, ledgerEntries, alerts, deadLetters, auditEntries, mappingRows };
}

async function redactCollection(db: Db, name: TextCollection, tenantId: string, pattern: RegExp): Promise<number> {
  const fields = textFields[name];
  const collection = db.collection<Document>(name);
  const projection = Object.fromEntries(fields.map((field) => [field, 1]));
  let changed = 0;
  for await (const document of collection.find({ tenantId }, { projection })) {
    const set: Record<string, unknown> = {};
    for (const field of fields) {
      const redacted = document[field] === undefined ? undefined : redactMatches(document[field], pattern);
      if (redacted !== undefined) set[field] = redacted;
    }
    if (Object.keys(set).length === 0) continue;
    await collection.updateOne({ _id: document._id }, { $set: set });
    changed += 1;
  }
  return changed;
}

/** What one retention pass removed for a tenant, by record kind. */
export interface RetentionPurge {
  attentionItems: number;
  ledgerEntries: number;
  alerts: number;
  deadLetters: number;
}

/**
 * Removes the personal text a tenant's records kept past `retentionDays`: the reason, fix and
 * details of attention items resolved before the cut-off, the message of ledger errors recorded
 * before it, the texts of alerts raised before it that are no longer waiting to be sent, and the
 * reasons of dead letters replayed before it. Open items, pending alerts and dead letters still
 * waiting keep their text: a person needs it to act. Codes, ids and amounts stay.
 */
export async function purgeExpiredPersonalData(db: Db, tenantId: string, retentionDays: number, now = new Date()): Promise<RetentionPurge> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const removed = { reason: expiredText, fix: expiredText, personalDataRemovedAt: now };
  const [attention, ledger, alerts, deadLetters] = await Promise.all([
    db
      .collection('attention_queue')
      .updateMany(
        { tenantId, state: 'resolved', resolvedAt: { $lt: cutoff }, personalDataRemovedAt: { $exists: false } },
        { $set: removed, $unset: { details: '' } },
      ),
    db
      .collection('sync_ledger')
      .updateMany(
        { tenantId, 'lastError.at': { $lt: cutoff }, 'lastError.message': { $ne: expiredText } },
        { $set: { 'lastError.message': expiredText } },
      ),
    db
      .collection('alert_outbox')
      .updateMany(
        { tenantId, raisedAt: { $lt: cutoff }, state: { $ne: 'pending' }, personalDataRemovedAt: { $exists: false } },
        { $set: removed, $unset: { details: '' } },
      ),
    db
      .collection('webhook_dead_letters')
      .updateMany(
        { tenantId, state: 'replayed', deadLetteredAt: { $lt: cutoff }, reason: { $ne: expiredText } },
        { $set: { reason: expiredText } },
      ),
  ]);
  return {
    attentionItems: attention.modifiedCount,
    ledgerEntries: ledger.modifiedCount,
    alerts: alerts.modifiedCount,
    deadLetters: deadLetters.modifiedCount,
  };
}

/**
 * The workflow ids of a shopper's orders as the ledger knows them: each order's own entry and the
 * entries that belong to it (refunds, payments recorded apart), by the workflow that wrote them.
 * Orders the ledger never saw have none here.
 */
export async function workflowIdsOfOrders(db: Db, tenantId: string, orderIds: readonly string[]): Promise<string[]> {
  if (orderIds.length === 0) return [];
  const ids = [...orderIds];
  const entries = await db
    .collection<{ workflowId?: string }>('sync_ledger')
    .find(
      { tenantId, $or: [{ entity: 'order', externalId: { $in: ids } }, { orderExternalId: { $in: ids } }], workflowId: { $exists: true } },
      { projection: { workflowId: 1 } },
    )
    .toArray();
  return [...new Set(entries.map((entry) => entry.workflowId).filter((id): id is string => typeof id === 'string'))].sort();
}
