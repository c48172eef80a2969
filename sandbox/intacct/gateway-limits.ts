import type { FaultRule } from './faults.js';
import { controlFailure, type ControlEcho } from './gateway-envelope.js';
import type { CompanyLimitTally, GatewayOutcome, GatewayState } from './gateway-state.js';

/* Injected faults shaped like the real gateway's failures, and the per-company limits. */

/** The HTML page a load balancer answers a 5xx with. */
export const html5xx = (status: number): string =>
  `<!DOCTYPE html>\n<html><head><title>${status} Service Temporarily Unavailable</title></head><body><h1>Service Temporarily Unavailable</h1><p>The server is temporarily unable to service your request. Please try again later.</p></body></html>`;
const cloudflare524 =
  '<!DOCTYPE html>\n<html lang="en-US"><head><title>api.intacct.com | 524: A timeout occurred</title></head><body><div id="cf-wrapper"><div id="cf-error-details"><h1>A timeout occurred</h1><span>Error code 524</span><p>The origin web server timed out responding to this request.</p></div></div></body></html>';

/** Faults that happen after the work is committed: the caller cannot know it succeeded. */
export function applyLateFault(outcome: GatewayOutcome, rule: FaultRule | undefined): GatewayOutcome {
  if (!rule || outcome.kind !== 'respond') return outcome;
  switch (rule.kind) {
    case 'latency':
      return { ...outcome, delayMs: rule.latencyMs };
    case 'html524':
      return { kind: 'respond', status: 524, contentType: 'text/html; charset=UTF-8', body: cloudflare524, delayMs: rule.latencyMs };
    case 'malformed':
      return { ...outcome, body: outcome.body.slice(0, Math.max(20, Math.floor(outcome.body.length / 2))) };
    case 'commitThenDrop':
      return { kind: 'drop', afterMs: rule.latencyMs };
    default:
      return outcome;
  }
}

/** Concurrency and rate limits per company; over either → HTTP 429 GW-0010. */
export function admit(companyId: string, state: GatewayState, echo: ControlEcho): GatewayOutcome | undefined {
  const now = state.options.now();
  const tally = tallyOf(companyId, state);
  const rate = state.options.rateLimit;
  if (rate) {
    const window = state.rateWindows.get(companyId);
    if (!window || now - window.start >= rate.windowMs) state.rateWindows.set(companyId, { start: now, count: 1 });
    else if (window.count >= rate.requests) {
      tally.refusedForRate += 1;
      return controlFailure(echo, [state.errors.error('rateLimited', 'Too many requests. Rate limit exceeded; please retry later.')], 429, {
        retryAfterSeconds: Math.max(1, Math.ceil((window.start + rate.windowMs - now) / 1000)),
      });
    } else window.count += 1;
  }
  const inFlight = state.inFlight.get(companyId) ?? 0;
  if (inFlight >= state.options.concurrencyLimit) {
    tally.refusedForConcurrency += 1;
    return controlFailure(
      echo,
      [
        state.errors.error(
          'rateLimited',
          `Too many concurrent requests: the limit of ${state.options.concurrencyLimit} concurrent requests for this company is in use. Please try again later.`,
        ),
      ],
      429,
      { retryAfterSeconds: 1 },
    );
  }
  state.inFlight.set(companyId, inFlight + 1);
  tally.maxInFlight = Math.max(tally.maxInFlight, inFlight + 1);
  return undefined;
}

function tallyOf(companyId: string, state: GatewayState): CompanyLimitTally {
  let tally = state.limitTally.get(companyId);
  if (tally === undefined) {
    tally = { maxInFlight: 0, refusedForConcurrency: 0, refusedForRate: 0 };
    state.limitTally.set(companyId, tally);
  }
  return tally;
}
