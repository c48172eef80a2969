/**
 * A small validator for standard 5-field cron expressions (minute hour day-of-month month
 * day-of-week), the form Temporal schedules accept in `cronExpressions`. Written here instead
 * of taking a dependency: the settings only need to refuse what a schedule would refuse.
 *
 * Each field is a comma-separated list of `*`, `*\/step`, `n`, `a-b` or `a-b/step`; months
 * and weekdays also take English three-letter names (JAN, MON), and weekday 7 is Sunday.
 * Macros such as `@hourly` and Quartz extensions (`?`, `L`, `W`, `#`) are refused.
 */

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const fields: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** The outcome of {@link checkCronExpression}. */
export type CronCheck = { ok: true } | { ok: false; message: string };

/** Checks a 5-field cron expression; the message names the field that is wrong and why. */
export function checkCronExpression(expression: string): CronCheck {
  const parts = expression
    .trim()
    .split(/\s+/)
    .filter((part) => part !== '');
  if (parts.length !== fields.length) {
    return { ok: false, message: `a cron expression has 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}` };
  }
  for (const [index, field] of fields.entries()) {
    const problem = checkField(parts[index] ?? '', field);
    if (problem !== undefined) return { ok: false, message: `cron ${field.name} field "${parts[index]}": ${problem}` };
  }
  return { ok: true };
}

function checkField(text: string, field: CronField): string | undefined {
  for (const item of text.split(',')) {
    const problem = checkItem(item, field);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function checkItem(item: string, field: CronField): string | undefined {
  if (item === '') return 'empty list item';
  const [range = '', step, ...rest] = item.split('/');
  if (rest.length > 0) return 'more than one "/"';
  if (step !== undefined) {
    if (!/^\d+$/.test(step)) return `step "${step}" is not a whole number`;
    const stepValue = Number(step);
    if (stepValue < 1 || stepValue > field.max) return `step ${stepValue} is outside 1-${field.max}`;
    // A bare value with a step ("5/10") is a non-standard extension that schedulers disagree on.
    if (range !== '*' && !range.includes('-')) return 'a step needs "*" or a range before it';
  }
  if (range === '*') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return `"${range}" is not a value or a range`;
  const values: number[] = [];
  for (const bound of bounds) {
    const value = valueOf(bound, field);
    if (value === undefined) return `"${bound}" is not a valid ${field.name} (${field.min}-${field.max}${field.names ? ' or a name' : ''})`;
    values.push(value);
  }
  const [from, to] = values as [number, number | undefined];
  if (to !== undefined && from > to) return `range ${range} runs backwards`;
  return undefined;
}

function valueOf(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    return value >= field.min && value <= field.max ? value : undefined;
  }
  const nameIndex = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (nameIndex < 0) return undefined;
  // Month names count from 1, weekday names from 0 (Sunday).
  return field.min === 1 ? nameIndex + 1 : nameIndex;
}
