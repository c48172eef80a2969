import type { ChaosSummary } from './run.js';

/**
 * The seeds a chaos command runs: `--seeds 10` is ten consecutive seeds from `--seed` (1 when
 * not given), `--seeds 3,17,42` that list; without `--seeds`, the one `--seed`. A sweep exists
 * because a run proves exactly-once only for the faults, kills and bad requests its seed drew.
 */
export function seedsToRun(seed: number | undefined, seeds: string | undefined): number[] | { error: string } {
  if (seeds === undefined) return seed === undefined ? { error: '--seed (or --seeds) is required' } : [seed];
  if (/^\d+$/.test(seeds)) {
    const count = Number(seeds);
    if (count < 1 || count > 1_000)
      return { error: `--seeds must be a count from 1 to 1000 or a list of seeds, not ${JSON.stringify(seeds)}` };
    const first = seed ?? 1;
    return Array.from({ length: count }, (_, index) => first + index);
  }
  if (/^\d+(,\d+)+$/.test(seeds)) {
    if (seed !== undefined) return { error: '--seed and a list in --seeds cannot be combined: put the seed in the list' };
    const list = seeds.split(',').map(Number);
    if (list.some((value) => !Number.isSafeInteger(value))) return { error: `--seeds holds a seed too large: ${seeds}` };
    if (new Set(list).size !== list.length) return { error: `--seeds names a seed twice: ${seeds}` };
    return list;
  }
  return { error: `--seeds must be a count (10) or a comma-separated list of seeds (3,17,42), not ${JSON.stringify(seeds)}` };
}

/** What one seed's run ended as: its summary, or why it could not finish. */
export type SeedOutcome = { seed: number; summary: ChaosSummary } | { seed: number; error: string; durationSeconds: number };

/**
 * One line per seed: the verdict, then what the run saw (duration, orders, faults injected,
 * bad input) and the command that reproduces it exactly.
 */
export function verdictLine(outcome: SeedOutcome, orders: number): string {
  const again = `npm run chaos -- --orders ${orders} --seed ${outcome.seed}`;
  if ('error' in outcome)
    return `seed ${outcome.seed}: FAIL (did not finish after ${outcome.durationSeconds.toFixed(0)} s: ${outcome.error}) — again: ${again}`;
  const { summary } = outcome;
  const injected = Object.entries(summary.faults.intacct.injected)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  const outcomes = Object.entries(summary.orders.byOutcome)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  const badInput = summary.badInput.ran
    ? `bad input ${summary.badInput.sent ?? 0} sent, ${summary.badInput.serverErrors ?? 0} 5xx, ${summary.badInput.workflowsStarted ?? 0} started`
    : 'bad input skipped';
  const verdict = summary.violations.length === 0 ? 'PASS' : `FAIL (${summary.violations.length} violations)`;
  return [
    `seed ${summary.seed}: ${verdict} in ${summary.durationSeconds.total.toFixed(0)} s`,
    `${summary.orders.placed} orders (${outcomes})`,
    `Intacct faults: ${injected || 'none'} of ${summary.faults.intacct.requests} requests`,
    `${summary.faults.workerKills} worker kills, ${summary.faults.temporalRestarts} Temporal restarts`,
    badInput,
    `again: ${again}`,
  ].join(' · ');
}
