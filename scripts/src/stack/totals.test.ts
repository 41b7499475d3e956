import { formatTotals, sumTotals } from './totals.ts';

describe('test totals', () => {
  it('when runners report, then the totals add up and the first non-zero exit code wins', () => {
    const total = sumTotals([
      { runner: 'jest', passed: 10, failed: 1, skipped: 0, exitCode: 1 },
      { runner: 'vitest', passed: 5, failed: 0, skipped: 2, exitCode: 0 },
    ]);
    expect(total).toEqual({ runner: 'all', passed: 15, failed: 1, skipped: 2, exitCode: 1 });
  });

  it('when nothing was skipped, then the line is exactly "N passed, N failed"', () => {
    expect(formatTotals({ passed: 3, failed: 0, skipped: 0 })).toBe('3 passed, 0 failed');
    expect(formatTotals({ passed: 3, failed: 1, skipped: 2 })).toBe(
      '3 passed, 1 failed, 2 skipped',
    );
  });
});
