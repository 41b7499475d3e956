import type { ServerResponse } from 'node:http';

// Deliberately local instead of @ums/service-kit: the gateway must not depend on service code.

export interface ProblemInput {
  readonly status: number;
  readonly title: string;
  readonly code: string;
  readonly detail: string;
  readonly instance: string;
  readonly requestId: string;
}

export interface ProblemDocument extends ProblemInput {
  readonly type: string;
}

export function problemTypeFor(code: string): string {
  return `urn:ums:problem:${code}`;
}

export function sendProblem(res: ServerResponse, problem: ProblemInput): void {
  const body: ProblemDocument = { type: problemTypeFor(problem.code), ...problem };
  const payload = JSON.stringify(body);
  res.statusCode = problem.status;
  res.setHeader('content-type', 'application/problem+json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(payload));
  res.setHeader('cache-control', 'no-store');
  res.end(payload);
}
