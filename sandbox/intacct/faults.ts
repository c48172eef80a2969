import { z } from 'zod';

/** What an injected fault does. */
export const faultKinds = ['latency', 'http5xx', 'html524', 'timeout', 'malformed', 'rateLimit', 'commitThenDrop'] as const;

/** One fault rule, as the control endpoint accepts it. */
export const faultRuleSchema = z.object({
  kind: z.enum(faultKinds),
  /** Only requests containing this function (e.g. `create_sotransaction`); all requests when absent. */
  function: z.string().min(1).optional(),
  /** Chance per matching request, from the seeded generator. */
  probability: z.number().min(0).max(1).default(1),
  /** Stop after this many injections. */
  times: z.number().int().positive().optional(),
  /** Delay for `latency`, and how long `timeout` holds the connection before dropping it. */
  latencyMs: z.number().int().nonnegative().max(600_000).default(0),
  /** Status for `http5xx` (500, 502, 503, 504). */
  status: z.number().int().min(500).max(599).default(503),
});

/** A fault rule. */
export type FaultRule = z.infer<typeof faultRuleSchema>;

/** The control endpoint's body: rules replace the previous ones; `seed` makes probabilities repeatable. */
export const faultConfigurationSchema = z.object({ rules: z.array(faultRuleSchema).default([]), seed: z.number().int().default(1) });

/** A fault chosen for one request. */
export interface ChosenFault {
  readonly rule: FaultRule;
}

/** Deterministic generator (mulberry32), so a seed replays the same fault pattern. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The active fault rules and their remaining counts. */
export class FaultInjector {
  private rules: Array<{ rule: FaultRule; remaining: number }> = [];
  private random = generator(1);

  /** Replaces the rules. */
  configure(configuration: z.infer<typeof faultConfigurationSchema>): void {
    this.rules = configuration.rules.map((rule) => ({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY }));
    this.random = generator(configuration.seed);
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** The fault for a request with these functions, if any rule fires. */
  choose(functionNames: readonly string[]): ChosenFault | undefined {
    for (const entry of this.rules) {
      if (entry.remaining <= 0) continue;
      if (entry.rule.function !== undefined && !functionNames.includes(entry.rule.function)) continue;
      if (this.random() >= entry.rule.probability) continue;
      entry.remaining -= 1;
      return { rule: entry.rule };
    }
    return undefined;
  }
}
