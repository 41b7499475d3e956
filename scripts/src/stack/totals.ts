// Test totals summed across runners (Jest now; Vitest and Playwright join as web/ lands).

export interface RunnerTotals {
  runner: string;
  passed: number;
  failed: number;
  skipped: number;
  exitCode: number;
}

export function sumTotals(results: RunnerTotals[]): RunnerTotals {
  return results.reduce<RunnerTotals>(
    (sum, r) => ({
      runner: 'all',
      passed: sum.passed + r.passed,
      failed: sum.failed + r.failed,
      skipped: sum.skipped + r.skipped,
      exitCode: sum.exitCode || r.exitCode,
    }),
    { runner: 'all', passed: 0, failed: 0, skipped: 0, exitCode: 0 },
  );
}

/** The closing line CI reads: `N passed, N failed`, plus `, N skipped` when any were. */
export function formatTotals(t: Pick<RunnerTotals, 'passed' | 'failed' | 'skipped'>): string {
  return `${t.passed} passed, ${t.failed} failed${t.skipped > 0 ? `, ${t.skipped} skipped` : ''}`;
}
