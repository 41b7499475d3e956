import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../lib/http.ts';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // 4xx answers are final (the session manager already retried a 401 after refreshing).
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
        staleTime: 30_000,
      },
    },
  });
}
