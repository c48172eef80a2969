import { describe, expect, it } from 'vitest';
import { IntacctRequestSlots } from '../../../connectors/intacct/request-slots.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
};

describe('IntacctRequestSlots', () => {
  it('when more requests than the limit arrive for one company, then the others wait and run in order as slots free', async () => {
    const slots = new IntacctRequestSlots(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, index) =>
      slots.run('CO-A', async () => {
        started.push(index);
        await gate.promise;
        return index;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(slots.load('CO-A')).toEqual({ inFlight: 2, waiting: 2 });
    gates[1]!.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve();
    gates[2]!.resolve();
    gates[3]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(slots.load('CO-A')).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('when requests of another company arrive, then they do not wait for the first company', async () => {
    const slots = new IntacctRequestSlots(1);
    const gate = deferred();
    const first = slots.run('CO-A', () => gate.promise);
    expect(await slots.run('CO-B', () => Promise.resolve('other company ran'))).toBe('other company ran');
    gate.resolve();
    await first;
  });

  it('when a request fails, then its slot is freed for the next one', async () => {
    const slots = new IntacctRequestSlots(1);
    await expect(slots.run('CO-A', () => Promise.reject(new Error('503')))).rejects.toThrow('503');
    expect(await slots.run('CO-A', () => Promise.resolve('next'))).toBe('next');
    expect(slots.load('CO-A')).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('when the limit is not a positive integer, then construction fails', () => {
    expect(() => new IntacctRequestSlots(0)).toThrow(RangeError);
  });
});
