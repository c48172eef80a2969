import type { ProcessorPayout } from '../../workflows/payout-reconcile-contract.js';

/**
 * In words, how a payout offered again differs from the one stored under its id: what an
 * operator needs to see to decide whether the new file is a correction or a mistake. Answers
 * the first differences found, header before lines.
 */
export function describePayoutChange(stored: ProcessorPayout, offered: ProcessorPayout): string {
  const differences: string[] = [];
  for (const field of ['gateway', 'currency', 'amount', 'status', 'arrivalDate'] as const)
    if (stored[field] !== offered[field]) differences.push(`${field} was ${stored[field]}, is now ${offered[field]}`);
  const storedLines = new Map(stored.lines.map((line) => [line.lineId, line]));
  const offeredIds = new Set(offered.lines.map((line) => line.lineId));
  const added = offered.lines.filter((line) => !storedLines.has(line.lineId)).map((line) => line.lineId);
  const removed = stored.lines.filter((line) => !offeredIds.has(line.lineId)).map((line) => line.lineId);
  const changed = offered.lines
    .filter(
      (line) => storedLines.has(line.lineId) && JSON.stringify(sorted(line)) !== JSON.stringify(sorted(storedLines.get(line.lineId)!)),
    )
    .map((line) => line.lineId);
  const list = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}`;
  if (added.length > 0) differences.push(`lines added: ${list(added)}`);
  if (removed.length > 0) differences.push(`lines missing: ${list(removed)}`);
  if (changed.length > 0) differences.push(`lines changed: ${list(changed)}`);
  return differences.length > 0 ? differences.join('; ') : 'the content differs';
}

function sorted(value: object): Array<[string, unknown]> {
  return Object.entries(value)
    .filter(([, entry]) => entry !== undefined)
    .sort(([left], [right]) => (left < right ? -1 : 1));
}
