/** How long {@link eventually} waits, how often it looks, and what it says it waited for. */
export interface EventuallyOptions {
  /**
   * What the test waits for, in the domain's words, for the timeout's message; a function is
   * asked at the timeout, to describe the state then (what was dispatched so far, ...).
   */
  what: string | (() => string);
  /** 30 s unless given. */
  timeoutMs?: number;
  /** 100 ms unless given. */
  intervalMs?: number;
}

/** A value that is there: not `undefined`, `null` or `false`. */
export type Reached<T> = Exclude<T, undefined | null | false>;

/**
 * Waits on a condition, never a fixed sleep: calls `check` until it gives a value that is there
 * (anything but `undefined`, `null` or `false`), or one `until` accepts, and returns that value.
 * A check that throws counts as "not yet" (a workflow not started, a query not answerable yet),
 * except a failed `expect` inside it, which fails at once: an expectation the whole wait must
 * keep. On timeout the error names `what` and the last value or error seen.
 */
export async function eventually<T>(check: () => T | Promise<T>, options: EventuallyOptions & { until: (value: T) => boolean }): Promise<T>;
export async function eventually<T>(check: () => T | Promise<T>, options: EventuallyOptions): Promise<Reached<T>>;
export async function eventually<T>(
  check: () => T | Promise<T>,
  options: EventuallyOptions & { until?: (value: T) => boolean },
): Promise<T> {
  const { what, timeoutMs = 30_000, intervalMs = 100 } = options;
  const reached = options.until ?? ((value: T) => value !== undefined && value !== null && value !== false);
  const deadline = Date.now() + timeoutMs;
  let last: string = 'nothing yet';
  for (;;) {
    try {
      const value = await check();
      if (reached(value)) return value;
      last = `the value ${describe(value)}`;
    } catch (error) {
      if (error instanceof Error && error.name === 'AssertionError') throw error;
      last = `the error ${error instanceof Error ? error.message : String(error)}`;
    }
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}; last seen: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
