import { Context } from '@temporalio/activity';

type Activity = (...args: never[]) => Promise<unknown>;

/**
 * Heartbeats as often as this share of the heartbeat timeout. The SDK sends at most one
 * heartbeat per 80 % of the timeout and drops the rest, so a short interval costs nothing and
 * leaves room for a busy event loop.
 */
const heartbeatsPerTimeout = 3;

function runningActivity(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/**
 * Keeps an activity's heartbeat going for as long as it runs, when it was scheduled with a
 * heartbeat timeout (vendor calls are; see `workflows/activity-options.ts`). A vendor call can
 * wait long in its worker's queue for the vendor's quota; the heartbeat says the worker is
 * alive meanwhile, so the call is not timed out for waiting, while a worker that dies stops
 * heartbeating and its call is retried elsewhere once the heartbeat timeout passes. Without a
 * heartbeat timeout (or outside an activity) the activity runs as it is.
 *
 * Only for activities that never heartbeat themselves: these heartbeats carry no details and
 * would overwrite the progress an activity records in its own.
 */
export function withHeartbeats<Args extends unknown[], Result>(
  activity: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    const context = runningActivity();
    const timeoutMs = context?.info.heartbeatTimeoutMs;
    if (context === undefined || timeoutMs === undefined || timeoutMs <= 0) return activity(...args);
    const beat = setInterval(() => context.heartbeat(), Math.max(100, Math.floor(timeoutMs / heartbeatsPerTimeout)));
    try {
      return await activity(...args);
    } finally {
      clearInterval(beat);
    }
  };
}

/** {@link withHeartbeats} over each activity of a set, keeping the set's type. */
export function heartbeating<Activities extends { [Name in keyof Activities]: Activity }>(activities: Activities): Activities {
  const wrapped: Record<string, Activity> = {};
  for (const [name, activity] of Object.entries<Activity>(activities)) wrapped[name] = withHeartbeats(activity);
  return wrapped as Activities;
}
