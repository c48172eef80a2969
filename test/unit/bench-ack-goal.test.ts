import { describe, expect, it } from 'vitest';
import { ackStream, ackVerdict, type AckAttempt } from '../bench/ack-goal.js';

const answered = (status: number | undefined, ...latencies: number[]): AckAttempt[] =>
  latencies.map((latencyMs) => ({ status, latencyMs }));
const ms = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('The acknowledgement figure: streams and the verdict against the floor', () => {
  it('when every request is answered 2xx, then the share is 1 and the percentiles are nearest-rank over all of them', () => {
    const stream = ackStream([...answered(200, ...ms(1, 99)), ...answered(202, 500)]);
    expect(stream).toEqual({
      requests: 100,
      answered2xx: 100,
      share2xx: 1,
      notAnswered2xx: {},
      latencyMs: { count: 100, p50: 50, p90: 90, p99: 99, max: 500, mean: 54.5 },
    });
  });

  it('when some are answered otherwise or not at all, then they are counted by status and by why they failed, and their time counts too', () => {
    const stream = ackStream([
      ...answered(200, 10, 10),
      ...answered(503, 20),
      ...answered(undefined, 30_000),
      { status: undefined, latencyMs: 10_000, failure: 'UND_ERR_CONNECT_TIMEOUT' },
    ]);
    expect(stream).toMatchObject({
      requests: 5,
      answered2xx: 2,
      share2xx: 0.4,
      notAnswered2xx: { '503': 1, failed: 1, 'failed: UND_ERR_CONNECT_TIMEOUT': 1 },
    });
    expect(stream.latencyMs.max).toBe(30_000);
  });

  it.each([
    ['the receiver at exactly twice the floor', 200, 100, 2, true, []],
    ['the receiver under the floor', 80, 100, 0.8, true, []],
    ['the receiver above twice the floor', 201, 100, 2.01, false, ['p99 ratio 2.01 above 2']],
  ])('when %s (all 2xx), then p99Ratio is receiver ÷ floor and the goal follows', (_name, receiverP99, floorP99, ratio, met, unmet) => {
    const receiver = ackStream(answered(200, ...Array<number>(100).fill(receiverP99)));
    const floor = ackStream(answered(200, ...Array<number>(100).fill(floorP99)));
    expect(ackVerdict(receiver, floor)).toEqual({ p99Ratio: ratio, goal: { share2xx: 1, p99RatioAtMost: 2, met, unmet } });
  });

  it('when one receiver request of many is not 2xx, then the goal is not met whatever the ratio', () => {
    const receiver = ackStream([...answered(200, ...Array<number>(999).fill(10)), ...answered(503, 10)]);
    const floor = ackStream(answered(200, ...Array<number>(1000).fill(10)));
    expect(ackVerdict(receiver, floor)).toEqual({
      p99Ratio: 1,
      goal: { share2xx: 1, p99RatioAtMost: 2, met: false, unmet: ['receiver answered 999 of 1000 2xx'] },
    });
  });

  it('when the floor itself failed requests, then they count at the time they took and the verdict is the ratio; when it measured nothing, then the goal is not met', () => {
    const receiver = ackStream(answered(200, ...Array<number>(100).fill(1_000)));
    // Two of the floor's 100 timed out at its 2 s deadline: its p99 is at least 2 s, so the receiver is within twice it.
    const failingFloor = ackStream([...answered(200, ...Array<number>(98).fill(400)), ...answered(503, 2_000, 2_000)]);
    expect(failingFloor).toMatchObject({ answered2xx: 98, notAnswered2xx: { '503': 2 } });
    expect(ackVerdict(receiver, failingFloor)).toEqual({ p99Ratio: 0.5, goal: { share2xx: 1, p99RatioAtMost: 2, met: true, unmet: [] } });
    // Failures that came fast make the floor look faster, so the ratio is stricter: here it fails.
    const fastFailingFloor = ackStream([...answered(200, ...Array<number>(98).fill(400)), ...answered(undefined, 5, 5)]);
    expect(ackVerdict(receiver, fastFailingFloor).goal).toMatchObject({ met: false, unmet: ['p99 ratio 2.5 above 2'] });
    expect(ackVerdict(receiver, ackStream([])).goal).toMatchObject({ met: false, unmet: ['no floor p99 to compare with'] });
  });
});
