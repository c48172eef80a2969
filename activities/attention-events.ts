import { parkForAttention, resolveAttention, type AttentionItem } from '../store/attention.js';
import type { ActivityDependencies } from './dependencies.js';

/** Told when an attention item opens or is resolved (the worker's metrics count them by code). */
export interface AttentionEvents {
  opened(item: AttentionItem): void;
  resolved(item: AttentionItem): void;
}

/**
 * Parks an item for a person ({@link parkForAttention}) and tells `deps.attentionEvents` when
 * that opened it: parking an item that is open already (a retried activity, a retry that
 * failed again) only updates its reason.
 */
export async function openAttention(
  deps: Pick<ActivityDependencies, 'db' | 'attentionEvents'>,
  item: Parameters<typeof parkForAttention>[1],
): Promise<AttentionItem> {
  const parked = await parkForAttention(deps.db, item);
  // A new open item's `since` is the instant of this park; an open one keeps its first.
  if (parked.since.getTime() === parked.updatedAt.getTime()) deps.attentionEvents?.opened(parked);
  return parked;
}

/** Resolves an open item ({@link resolveAttention}) and tells `deps.attentionEvents` when there was one. */
export async function closeAttention(
  deps: Pick<ActivityDependencies, 'db' | 'attentionEvents'>,
  key: Pick<AttentionItem, 'tenantId' | 'entity' | 'externalId'>,
  resolvedBy: string,
): Promise<AttentionItem | null> {
  const resolved = await resolveAttention(deps.db, key, resolvedBy);
  if (resolved) deps.attentionEvents?.resolved(resolved);
  return resolved;
}
