import { describe, expect, it } from 'vitest';
import { heapKeptAllThreadsMb, heapKeptByIsolate } from '../support/gc-trace.js';

const main = '[100:0x5581a0]';
const workflows = '[100:0x7f80a4000f00]';
const markCompact = (isolate: string, before: number, after: number, reduce = false) =>
  `${isolate}     4912 ms: Mark-Compact${reduce ? ' (reduce)' : ''} ${before} (${before + 20}.0) -> ${after} (${after + 10}.5) MB, 9.51 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; scavenge might not succeed`;
const scavenge = (isolate: string, before: number, after: number) =>
  `${isolate}      120 ms: Scavenge ${before} (95.0) -> ${after} (95.0) MB, 1.20 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure;`;

describe("reading a worker's --trace-gc output", () => {
  it.each([
    ['no collection yet', [], undefined, {}],
    ['only scavenges: nothing about what is kept', [scavenge(main, 30, 12)], undefined, {}],
    ['one full collection of the main thread', [markCompact(main, 80.4, 60.2)], 60, { [main.slice(5, -1)]: 60.2 }],
    [
      'the last full collection of each thread counts, summed over threads',
      [markCompact(main, 80, 60), markCompact(workflows, 300, 210.5), scavenge(workflows, 240, 220), markCompact(main, 90, 70, true)],
      281,
      { [main.slice(5, -1)]: 70, [workflows.slice(5, -1)]: 210.5 },
    ],
    [
      'a log line written into the middle of a trace line does not hide it',
      [`{"level":30,"msg":"activity completed"}${markCompact(workflows, 120, 95.4)}`],
      95,
      { [workflows.slice(5, -1)]: 95.4 },
    ],
  ])('%s', (_case, lines, allThreads, byIsolate) => {
    const trace = lines.join('\n');
    expect(heapKeptAllThreadsMb(trace)).toBe(allThreads);
    expect(Object.fromEntries(heapKeptByIsolate(trace))).toEqual(byIsolate);
  });
});
