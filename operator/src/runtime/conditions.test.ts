import { flippedConditions, mergeConditions } from './conditions.ts';

const t0 = new Date('2026-01-01T00:00:00.123Z');
const t1 = new Date('2026-01-01T01:00:00Z');

test('when a condition appears, then its lastTransitionTime is now, in whole seconds, with the generation', () => {
  const [ready] = mergeConditions(
    undefined,
    [{ type: 'Ready', status: 'False', reason: 'A', message: 'a' }],
    3,
    t0,
  );
  expect(ready).toEqual({
    type: 'Ready',
    status: 'False',
    reason: 'A',
    message: 'a',
    lastTransitionTime: '2026-01-01T00:00:00Z',
    observedGeneration: 3,
  });
});

test('when only the reason or message changes, then lastTransitionTime stays', () => {
  const before = mergeConditions(
    undefined,
    [{ type: 'Ready', status: 'False', reason: 'A', message: 'a' }],
    1,
    t0,
  );
  const [after] = mergeConditions(
    before,
    [{ type: 'Ready', status: 'False', reason: 'B', message: 'b' }],
    2,
    t1,
  );
  expect(after).toMatchObject({
    reason: 'B',
    lastTransitionTime: '2026-01-01T00:00:00Z',
    observedGeneration: 2,
  });
});

test('when the status flips, then lastTransitionTime moves and the flip is reported', () => {
  const before = mergeConditions(
    undefined,
    [{ type: 'Ready', status: 'False', reason: 'A', message: 'a' }],
    1,
    t0,
  );
  const after = mergeConditions(
    before,
    [{ type: 'Ready', status: 'True', reason: 'B', message: 'b' }],
    1,
    t1,
  );
  expect(after[0]?.lastTransitionTime).toBe('2026-01-01T01:00:00Z');
  expect(flippedConditions(before, after).map((c) => c.type)).toEqual(['Ready']);
  expect(flippedConditions(after, after)).toEqual([]);
});
