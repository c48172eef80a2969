import { describe, expect, it } from 'vitest';
import type { ChaosSummary } from '../chaos/run.js';
import { seedsToRun, verdictLine } from '../chaos/seed-sweep.js';

describe('seedsToRun', () => {
  it.each<[string, number | undefined, string | undefined, ReturnType<typeof seedsToRun>]>([
    ['one seed', 7, undefined, [7]],
    ['a count from 1', undefined, '3', [1, 2, 3]],
    ['a count from --seed', 40, '3', [40, 41, 42]],
    ['a list', undefined, '3,17,42', [3, 17, 42]],
    ['nothing', undefined, undefined, { error: '--seed (or --seeds) is required' }],
    ['a count of 0', undefined, '0', { error: '--seeds must be a count from 1 to 1000 or a list of seeds, not "0"' }],
    ['a list with --seed', 5, '3,4', { error: '--seed and a list in --seeds cannot be combined: put the seed in the list' }],
    ['a seed twice', undefined, '3,3', { error: '--seeds names a seed twice: 3,3' }],
    ['a word', undefined, 'ten', { error: '--seeds must be a count (10) or a comma-separated list of seeds (3,17,42), not "ten"' }],
    [
      'a negative seed',
      undefined,
      '-1,2',
      { error: '--seeds must be a count (10) or a comma-separated list of seeds (3,17,42), not "-1,2"' },
    ],
  ])('when given %s then it runs exactly those seeds or says why not', (_name, seed, seeds, expected) => {
    expect(seedsToRun(seed, seeds)).toEqual(expected);
  });
});

describe('verdictLine', () => {
  const summary = (violations: string[]): ChaosSummary =>
    ({
      seed: 12,
      orders: { requested: 100, placed: 100, byStorefront: {}, byStory: {}, byOutcome: { synced: 90, cancelled: 10 } },
      faults: { intacct: { requests: 370, injected: { http5xx: 39, rateLimit: 22 }, rules: [] }, workerKills: 2, temporalRestarts: 1 },
      durationSeconds: { total: 131.4, placing: 60, settling: 50 },
      badInput: { ran: true, sent: 520, serverErrors: 0, workflowsStarted: 0 },
      violations,
    }) as unknown as ChaosSummary;

  it('when a seed passes then its line says PASS with what was injected and how to run it again', () => {
    expect(verdictLine({ seed: 12, summary: summary([]) }, 100)).toBe(
      'seed 12: PASS in 131 s · 100 orders (synced 90, cancelled 10) · Intacct faults: http5xx 39, rateLimit 22 of 370 requests · 2 worker kills, 1 Temporal restarts · bad input 520 sent, 0 5xx, 0 started · again: npm run chaos -- --orders 100 --seed 12',
    );
  });

  it('when a seed has violations or does not finish then its line says FAIL', () => {
    expect(verdictLine({ seed: 12, summary: summary(['a', 'b']) }, 100)).toMatch(/^seed 12: FAIL \(2 violations\) in 131 s/);
    expect(verdictLine({ seed: 9, error: 'port taken', durationSeconds: 3 }, 50)).toBe(
      'seed 9: FAIL (did not finish after 3 s: port taken) — again: npm run chaos -- --orders 50 --seed 9',
    );
  });
});
