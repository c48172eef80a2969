import { readSettings } from '../../store/settings.js';
import type { MappingTableName } from '../../store/schemas/mapping-tables.js';
import { insertMappingRowsIfAbsent, mappingRowsWrittenBy, type MappingRowDocument } from '../../store/mappings.js';
import { rememberRejectedSuggestion, type RejectedCandidate } from '../../store/suggestion-rejections.js';
import { HttpError } from '../errors.js';
import { assertRole } from './auth.js';
import { audit, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError } from './documented-router.js';
import { assertMayWrite, putMappingRow } from './mapping-actions.js';
import type { ActionContext } from './settings-changes.js';

/**
 * What a person (or the tenant's automatic application) decides about a mapping suggestion, for
 * every table that takes suggestions: accept writes the row through the one mapping write path,
 * reject is remembered per table, apply writes only new rows marked as the assistant's.
 */

/** Who automatic rows are written by: they are marked with it and listed by it. */
export const automaticRowWriter = 'mapping-assistant';

/**
 * The confidence from which the tenant lets suggestions apply on their own
 * (`mappingAssistant.autoApply`); 409 when the tenant has not switched automatic application on.
 */
export async function autoApplyThreshold(deps: AdminDependencies, context: ActionContext, tenantId: string): Promise<number> {
  assertRole(context.principal, 'operator');
  await visibleTenant(deps.db, context.principal, tenantId);
  const stored = await readSettings(deps.db, tenantId);
  if (!stored) throw notFoundError(`settings of ${tenantId}`);
  const { enabled, minConfidence } = stored.settings.mappingAssistant.autoApply;
  if (!enabled)
    throw new HttpError(
      409,
      'auto_apply_off',
      'automatic application of suggestions is off for this tenant: accept them one by one, or set mappingAssistant.autoApply.enabled in its settings',
    );
  return minConfidence;
}

/** A suggestion taken: the row is written as a person's PUT writes it (audited) and the acceptance audited. */
export async function acceptSuggestedRow(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  table: MappingTableName,
  accepted: { key: string; row: Record<string, unknown>; details: Record<string, unknown> },
): Promise<MappingRowDocument> {
  assertRole(context.principal, 'operator');
  const stored = await putMappingRow(deps, context, tenantId, table, accepted.key, accepted.row);
  await audit(deps.db, context, {
    tenantId,
    action: 'mapping.suggestion.accept',
    target: `mapping:${table}:${stored.key}`,
    details: accepted.details,
  });
  return stored;
}

/** A suggestion refused: remembered, so that key is not offered that candidate again. */
export async function rejectSuggestedRow(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  table: MappingTableName,
  rejected: RejectedCandidate & { details: Record<string, unknown> },
): Promise<void> {
  assertRole(context.principal, 'operator');
  await visibleTenant(deps.db, context.principal, tenantId);
  await rememberRejectedSuggestion(deps.db, tenantId, table, rejected, context.principal.keyId);
  await audit(deps.db, context, {
    tenantId,
    action: 'mapping.suggestion.reject',
    target: `mapping:${table}:${rejected.key}`,
    details: rejected.details,
  });
}

/**
 * Writes the chosen rows where their key has none, marked as written by {@link automaticRowWriter};
 * a key that has a row keeps it, whoever wrote it. Audited once. Answers the keys created.
 */
export async function applySuggestedRows(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  table: MappingTableName,
  chosen: { rows: Array<{ key: string; row: Record<string, unknown> }>; minimumConfidence: number },
): Promise<Set<string>> {
  assertMayWrite(context.principal, table);
  const created = await insertMappingRowsIfAbsent(deps.db, tenantId, table, chosen.rows, automaticRowWriter);
  await audit(deps.db, context, {
    tenantId,
    action: 'mapping.suggestion.apply',
    target: `mapping:${table}`,
    details: { minimumConfidence: chosen.minimumConfidence, created: created.length },
  });
  return new Set(created);
}

/** The rows of a table the mapping assistant wrote on its own, for a person to review. */
export async function automaticRows(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  table: MappingTableName,
): Promise<MappingRowDocument[]> {
  await visibleTenant(deps.db, context.principal, tenantId);
  return mappingRowsWrittenBy(deps.db, tenantId, table, automaticRowWriter);
}
