import { distribution, round, type Distribution } from './stats.js';

/** One request of an acknowledgement stream: its HTTP status (undefined when it failed or timed out) and send → answer time. */
export interface AckAttempt {
  status: number | undefined;
  latencyMs: number;
  /** Why there was no answer (the error's code: `UND_ERR_CONNECT_TIMEOUT`, `ECONNRESET`, `TimeoutError`…). */
  failure?: string;
}

/** What one stream of requests (the receiver's or the floor's) got. */
export interface AckStream {
  requests: number;
  answered2xx: number;
  /** answered2xx ÷ requests (1 = every request answered 2xx). */
  share2xx: number;
  /** The others by status, or `failed: {why}` when no answer came (the timeout, a connection refused or reset). */
  notAnswered2xx: Record<string, number>;
  /** Send → answer of every request, 2xx or not, ms. */
  latencyMs: Distribution & { mean: number };
}

/** Issue 23's goal: every delivery answered 2xx, and the receiver's p99 within this multiple of the floor's. */
export const ackGoal = { share2xx: 1, p99RatioAtMost: 2 } as const;

export interface AckVerdict {
  /** Receiver p99 ÷ floor p99 (0 when the floor measured nothing). */
  p99Ratio: number;
  goal: typeof ackGoal & { met: boolean; unmet: string[] };
}

export function ackStream(attempts: readonly AckAttempt[]): AckStream {
  const answered2xx = attempts.filter((attempt) => attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300).length;
  const notAnswered2xx: Record<string, number> = {};
  for (const { status, failure } of attempts) {
    if (status !== undefined && status >= 200 && status < 300) continue;
    const key = status !== undefined ? String(status) : failure === undefined ? 'failed' : `failed: ${failure}`;
    notAnswered2xx[key] = (notAnswered2xx[key] ?? 0) + 1;
  }
  const latencies = attempts.map((attempt) => attempt.latencyMs);
  return {
    requests: attempts.length,
    answered2xx,
    share2xx: attempts.length === 0 ? 0 : round(answered2xx / attempts.length, 4),
    notAnswered2xx,
    latencyMs: {
      ...distribution(latencies),
      mean: latencies.length === 0 ? 0 : round(latencies.reduce((sum, ms) => sum + ms, 0) / latencies.length, 1),
    },
  };
}

/**
 * Whether the receiver met the goal against the floor measured beside it: all its requests
 * answered 2xx and its p99 at most twice the floor's. The floor's own failures (Temporal not
 * taking its call within the dispatch's deadline) are no part of the goal: they are what
 * acknowledging on the signal-with-start alone would have answered, shown in its stream, and
 * they count in its percentiles at the time they took. A request that failed was not accepted
 * any sooner than that, so they can only make the floor look faster than it was and the ratio
 * stricter, never hide a slow floor.
 */
export function ackVerdict(receiver: AckStream, floor: AckStream): AckVerdict {
  const p99Ratio = floor.latencyMs.p99 > 0 ? round(receiver.latencyMs.p99 / floor.latencyMs.p99, 2) : 0;
  const unmet: string[] = [];
  if (receiver.requests === 0 || receiver.share2xx < ackGoal.share2xx)
    unmet.push(`receiver answered ${receiver.answered2xx} of ${receiver.requests} 2xx`);
  if (floor.latencyMs.p99 <= 0) unmet.push('no floor p99 to compare with');
  else if (p99Ratio > ackGoal.p99RatioAtMost) unmet.push(`p99 ratio ${p99Ratio} above ${ackGoal.p99RatioAtMost}`);
  return { p99Ratio, goal: { ...ackGoal, met: unmet.length === 0, unmet } };
}
