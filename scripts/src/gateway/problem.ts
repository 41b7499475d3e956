import type { ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, problemDetails } from '@ums/service-kit/errors';

// The gateway answers with the same RFC 9457 bodies as the services (one `type` scheme, one shape).

export interface ProblemInput {
  readonly status: number;
  readonly title: string;
  readonly code: string;
  readonly detail: string;
  readonly instance: string;
  readonly requestId: string;
}

export function sendProblem(res: ServerResponse, problem: ProblemInput): void {
  const payload = JSON.stringify(problemDetails(problem));
  res.statusCode = problem.status;
  res.setHeader('content-type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  res.setHeader('content-length', Buffer.byteLength(payload));
  res.setHeader('cache-control', 'no-store');
  res.end(payload);
}
