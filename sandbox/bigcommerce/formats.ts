/** BigCommerce's wire formats as the sandbox writes them; money is kept in integer cents. */

/** V2 money: a 4-decimal string (1999 → `"19.9900"`). */
export function v2Money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}00`;
}

/** V3 money: a number with 2 decimals (1999 → 19.99). */
export function v3Money(cents: number): number {
  return Math.round(cents) / 100;
}

/** Reads a V3 (number) or V2 (string) amount into cents; undefined when it is not a number. */
export function toCents(value: unknown): number | undefined {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(parsed) ? Math.round(parsed * 100) : undefined;
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (value: number) => String(value).padStart(2, '0');

/** V2 date: RFC 2822 in UTC (`"Tue, 05 Mar 2019 21:40:11 +0000"`); `""` for no date. */
export function v2Date(date: Date | undefined): string {
  if (date === undefined) return '';
  return `${days[date.getUTCDay()]}, ${two(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

/** V3 date: ISO 8601 without milliseconds (`"2018-11-13T21:42:06Z"`). */
export function v3Date(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Reads a V2 date filter, which BigCommerce takes as RFC 2822 or ISO 8601. */
export function parseDateFilter(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}
