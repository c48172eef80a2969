/** A BigCommerce date (RFC 2822) or Intacct date (`MM/DD/YYYY`, `YYYY-MM-DD`) as ISO 8601 UTC; undefined when it is not one. */
export function isoTimestamp(value: string | undefined): string | undefined {
  const text = (value ?? '').trim();
  if (text === '') return undefined;
  const us = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const dateOnly = us ? `${us[3]}-${us[1]}-${us[2]}` : iso ? text : undefined;
  const parsed = Date.parse(dateOnly === undefined ? text : `${dateOnly}T00:00:00Z`);
  if (Number.isNaN(parsed)) return undefined;
  return new Date(parsed).toISOString().replace('.000Z', 'Z');
}
