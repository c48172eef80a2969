import type { GatewayCloseSettings } from '../store/schemas/settings.js';

/**
 * How long after a day ends (in the tenant's time zone) its payouts wait for the ones still to
 * come before the day posts, by the gateway's `postingDate`. By arrival date: a payout's
 * `payout.paid` comes on its arrival day, but a processor's reconciliation of its lines, a
 * settlement file or a payout waiting for its orders' postings can follow a day later. By
 * created date: a payout is paid days after it is created (Stripe's standard schedule is two to
 * seven), so the day waits a week more. A payout matched after its day posted posts on its own.
 */
export const payoutDayGraceHours: Readonly<Record<GatewayCloseSettings['postingDate'], number>> = {
  arrival: 24,
  created: 8 * 24,
};

/**
 * The deposit id and journal reference number of a gateway's day: `{gateway}-{YYYY-MM-DD}`, with
 * the currency appended when it is not the company's base currency (one posting per currency).
 * Never a payout id, so a day's postings and a payout's own are never taken for each other.
 */
export function payoutDayReference(gateway: string, day: string, currency: string, baseCurrency: string): string {
  return currency === baseCurrency ? `${gateway}-${day}` : `${gateway}-${day}-${currency}`;
}

/** The instant (epoch ms) the day's payouts post: the day's end in `timeZone` plus the grace for the gateway's posting date. */
export function payoutDayClosesAt(day: string, timeZone: string, postingDate: GatewayCloseSettings['postingDate']): number {
  return startOfDayIn(nextDay(day), timeZone) + payoutDayGraceHours[postingDate] * 3_600_000;
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** The first instant of `day` in `timeZone`: UTC midnight moved by the zone's offset then (taken twice, for a change of offset). */
function startOfDayIn(day: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  const firstGuess = utcMidnight - offsetAt(utcMidnight, timeZone);
  return utcMidnight - offsetAt(firstGuess, timeZone);
}

/** The zone's offset from UTC at an instant, in ms (wall clock − UTC). */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value);
  const wallClock = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wallClock - Math.floor(instant / 1000) * 1000;
}
