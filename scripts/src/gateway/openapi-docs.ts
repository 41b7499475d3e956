import type { GatewayLogger } from './logger.ts';
import type { JsonObject, ServiceDocument } from './openapi-merge.ts';
import { isJsonObject, mergeOpenApiDocuments } from './openapi-merge.ts';
import type { FetchOptions } from './upstream-fetch.ts';
import { describeError, fetchUpstream } from './upstream-fetch.ts';

export const OPENAPI_PATH = '/api-docs/openapi.json';

export interface DocumentSource {
  readonly service: string;
  readonly origin: string;
}

async function fetchDocument(source: DocumentSource, options: FetchOptions): Promise<JsonObject> {
  const response = await fetchUpstream(source.origin, OPENAPI_PATH, options);
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  const document: unknown = await response.json();
  if (!isJsonObject(document) || typeof document['openapi'] !== 'string') {
    throw new Error('response is not an OpenAPI document');
  }
  return document;
}

/** Fetches every configured service's document; unreachable ones are skipped and reported. */
export async function loadMergedOpenApi(
  sources: readonly DocumentSource[],
  options: FetchOptions & { readonly logger: GatewayLogger },
): Promise<JsonObject> {
  const results = await Promise.allSettled(sources.map((s) => fetchDocument(s, options)));
  const documents: ServiceDocument[] = [];
  const unavailableServices: string[] = [];
  results.forEach((result, index) => {
    const service = sources[index]?.service ?? 'unknown';
    if (result.status === 'fulfilled') {
      documents.push({ service, document: result.value });
      return;
    }
    unavailableServices.push(service);
    options.logger.warn('openapi document unavailable', {
      service,
      error: describeError(result.reason),
      requestId: options.requestId,
    });
  });
  return mergeOpenApiDocuments({ documents, unavailableServices });
}
