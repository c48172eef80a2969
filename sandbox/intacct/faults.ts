import { z } from 'zod';
import { seededRandom } from '../seeded-random.js';

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

/** What the injector has seen since it was last configured or cleared: requests by function, faults by kind. */
export interface FaultTally {
  requests: number;
  byFunction: Record<string, number>;
  injected: Partial<Record<(typeof faultKinds)[number], number>>;
}

const emptyTally = (): FaultTally => ({ requests: 0, byFunction: {}, injected: {} });

/** The active fault rules and their remaining counts. */
export class FaultInjector {
  private rules: Array<{ rule: FaultRule; remaining: number }> = [];
  private random = seededRandom(1);
  private counts: FaultTally = emptyTally();

  /** The tally since the last configure or clear (the request log keeps only the latest requests). */
  tally(): FaultTally {
    return structuredClone(this.counts);
  }

  /** The active rules with how many injections each has left. */
  active(): Array<FaultRule & { remaining: number | null }> {
    return this.rules.map(({ rule, remaining }) => ({ ...rule, remaining: Number.isFinite(remaining) ? remaining : null }));
  }

  /** Replaces the rules. */
  configure(configuration: z.infer<typeof faultConfigurationSchema>): void {
    this.rules = configuration.rules.map((rule) => ({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY }));
    this.random = seededRandom(configuration.seed);
    this.counts = emptyTally();
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
    this.counts = emptyTally();
  }

  /** The fault for a request with these functions, if any rule fires. */
  choose(functionNames: readonly string[]): ChosenFault | undefined {
    this.counts.requests += 1;
    for (const name of functionNames) this.counts.byFunction[name] = (this.counts.byFunction[name] ?? 0) + 1;
    for (const entry of this.rules) {
      if (entry.remaining <= 0) continue;
      if (entry.rule.function !== undefined && !functionNames.includes(entry.rule.function)) continue;
      if (this.random() >= entry.rule.probability) continue;
      entry.remaining -= 1;
      this.counts.injected[entry.rule.kind] = (this.counts.injected[entry.rule.kind] ?? 0) + 1;
      return { rule: entry.rule };
    }
    return undefined;
  }
}
