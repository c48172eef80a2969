/** One changed setting between two versions, for the versioned settings history. */
export interface SettingsChange {
  /** Dotted path of the setting (`orderSync.guestOrders.enabled`). */
  path: string;
  /** The old value; undefined when the setting was added. */
  before: unknown;
  /** The new value; undefined when the setting was removed. */
  after: unknown;
}

/**
 * The settings that differ between two versions, sorted by path. Objects are compared key by
 * key; arrays and other values are compared whole and reported at their own path, because an
 * index-by-index diff of a reordered list (statuses, payment methods) says less to a reader
 * than the two lists side by side. Pure and deterministic: the same pair always gives the
 * same list, whatever the key order of the inputs.
 */
export function settingsDiff(before: unknown, after: unknown): SettingsChange[] {
  const changes: SettingsChange[] = [];
  collectChanges([], before, after, changes);
  return changes.sort((left, right) => (left.path < right.path ? -1 : left.path > right.path ? 1 : 0));
}

function collectChanges(path: string[], before: unknown, after: unknown, changes: SettingsChange[]): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) collectChanges([...path, key], before[key], after[key], changes);
    return;
  }
  if (!deepEqual(before, after)) changes.push({ path: path.join('.'), before, after });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepEqual(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) return true;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => deepEqual(item, right[index]));
  }
  if (isPlainObject(left) && isPlainObject(right)) {
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    return [...keys].every((key) => deepEqual(left[key], right[key]));
  }
  return false;
}
