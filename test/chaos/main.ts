import { parseArgs } from 'node:util';
import type { OrderMix } from './plan.js';
import { runChaos, type ChaosSummary } from './run.js';
import { seedsToRun, verdictLine, type SeedOutcome } from './seed-sweep.js';

const usage =
  'usage: npm run chaos -- --orders <n ≥ 1> (--seed <integer> | --seeds <count> [--seed <first>] | --seeds <s1,s2,…>) [--rate <orders per second>] [--bad-input <requests>] [--workers <n>] [--apis <m>] [--mix fidelity|classic] [--keep]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      orders: { type: 'string' },
      seed: { type: 'string' },
      seeds: { type: 'string' },
      rate: { type: 'string' },
      'bad-input': { type: 'string' },
      workers: { type: 'string' },
      apis: { type: 'string' },
      mix: { type: 'string', default: 'fidelity' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const integer = (name: string, fallback: number | undefined, min: number): number => {
  const raw = values[name];
  if (raw === undefined) {
    if (fallback === undefined) fail(`--${name} is required`);
    return fallback;
  }
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw)))
    fail(`--${name} must be an integer ≥ ${min}, not ${JSON.stringify(raw)}`);
  return Number(raw);
};
const orders = integer('orders', undefined, 1);
const seedList = seedsToRun(values.seed === undefined ? undefined : integer('seed', undefined, 0), values.seeds as string | undefined);
if (!Array.isArray(seedList)) fail(seedList.error);
const seeds: number[] = seedList;
const badInputRequests = integer('bad-input', 500, 0);
// Worker and API processes: several of each is the scale-out run (issue 23), kills chosen among them.
const workers = integer('workers', 1, 1);
const apis = integer('apis', 1, 1);
// The order mix: `fidelity` (the default) adds issue 17's tax per line, VAT-inclusive prices, gift wrapping and second entity to the classic orders.
const mixRaw = values.mix;
if (mixRaw !== 'classic' && mixRaw !== 'fidelity') fail(`--mix must be classic or fidelity, not ${JSON.stringify(mixRaw)}`);
const mix: OrderMix = mixRaw;
const rateRaw = values.rate;
const ordersPerSecond = rateRaw === undefined ? 2 : Number(rateRaw);
if (!(ordersPerSecond > 0) || !Number.isFinite(ordersPerSecond)) fail(`--rate must be a positive number, not ${JSON.stringify(rateRaw)}`);

/** One seed's run; its summary goes to stdout as JSON (a sweep prints one per seed, in order). */
async function runSeed(seed: number): Promise<SeedOutcome> {
  const started = Date.now();
  const prefix = seeds.length > 1 ? `[chaos seed ${seed}` : '[chaos';
  let summary: ChaosSummary;
  try {
    summary = await runChaos({
      orders,
      seed,
      mix,
      badInputRequests,
      ordersPerSecond,
      stack: { workers, apis },
      keepWorkDir: values.keep === true,
      log: (line) => process.stderr.write(`${prefix} +${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`),
    });
  } catch (error) {
    process.stderr.write(`the chaos run could not finish: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return { seed, error: error instanceof Error ? error.message : String(error), durationSeconds: (Date.now() - started) / 1000 };
  }
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  return { seed, summary };
}

const outcomes: SeedOutcome[] = [];
for (const seed of seeds) {
  if (seeds.length > 1)
    process.stderr.write(
      `[chaos] seed ${seed} (${outcomes.length + 1} of ${seeds.length}): npm run chaos -- --orders ${orders} --seed ${seed}${workers > 1 ? ` --workers ${workers}` : ''}${apis > 1 ? ` --apis ${apis}` : ''}${mix === 'classic' ? ' --mix classic' : ''}\n`,
    );
  outcomes.push(await runSeed(seed));
}
const passed = (outcome: SeedOutcome) => 'summary' in outcome && outcome.summary.violations.length === 0;
if (seeds.length > 1) {
  process.stderr.write(`\n[chaos] ${outcomes.filter(passed).length} of ${outcomes.length} seeds passed\n`);
  for (const outcome of outcomes) process.stderr.write(`${verdictLine(outcome, orders)}\n`);
}
process.exit(outcomes.every(passed) ? 0 : 1);
