import { describe, expect, it } from 'vitest';
import { checkCronExpression } from '../../../store/schemas/cron.js';

describe('checkCronExpression', () => {
  it.each([
    '*/15 * * * *',
    '0 0 * * *',
    '  5   4  *  *  *  ',
    '0,30 8-18 * * 1-5',
    '0 8-18/2 * * *',
    '59 23 31 12 7',
    '0 0 1 JAN,jul MON-FRI',
    '0 6 * * sun',
    '*/1 */23 */31 */12 */7',
  ])('accepts %j', (expression) => {
    expect(checkCronExpression(expression)).toStrictEqual({ ok: true });
  });

  it.each([
    ['', 'a cron expression has 5 fields (minute hour day-of-month month day-of-week), got 0'],
    ['* * * *', 'a cron expression has 5 fields (minute hour day-of-month month day-of-week), got 4'],
    ['0 0 * * * *', 'a cron expression has 5 fields (minute hour day-of-month month day-of-week), got 6'],
    ['@hourly', 'a cron expression has 5 fields (minute hour day-of-month month day-of-week), got 1'],
    ['60 * * * *', 'cron minute field "60": "60" is not a valid minute (0-59)'],
    ['* 24 * * *', 'cron hour field "24": "24" is not a valid hour (0-23)'],
    ['* * 0 * *', 'cron day of month field "0": "0" is not a valid day of month (1-31)'],
    ['* * 32 * *', 'cron day of month field "32": "32" is not a valid day of month (1-31)'],
    ['* * * 13 *', 'cron month field "13": "13" is not a valid month (1-12 or a name)'],
    ['* * * * 8', 'cron day of week field "8": "8" is not a valid day of week (0-7 or a name)'],
    ['* * * * MONDAY', 'cron day of week field "MONDAY": "MONDAY" is not a valid day of week (0-7 or a name)'],
    ['* * * FOO *', 'cron month field "FOO": "FOO" is not a valid month (1-12 or a name)'],
    ['*/0 * * * *', 'cron minute field "*/0": step 0 is outside 1-59'],
    ['*/x * * * *', 'cron minute field "*/x": step "x" is not a whole number'],
    ['*/5/2 * * * *', 'cron minute field "*/5/2": more than one "/"'],
    ['5/10 * * * *', 'cron minute field "5/10": a step needs "*" or a range before it'],
    ['30-10 * * * *', 'cron minute field "30-10": range 30-10 runs backwards'],
    ['1-2-3 * * * *', 'cron minute field "1-2-3": "1-2-3" is not a value or a range'],
    ['1,,2 * * * *', 'cron minute field "1,,2": empty list item'],
    ['? * * * *', 'cron minute field "?": "?" is not a valid minute (0-59)'],
    ['0 0 L * *', 'cron day of month field "L": "L" is not a valid day of month (1-31)'],
    ['-1 * * * *', 'cron minute field "-1": "" is not a valid minute (0-59)'],
  ])('refuses %j with a message naming the field', (expression, message) => {
    expect(checkCronExpression(expression)).toStrictEqual({ ok: false, message });
  });
});
