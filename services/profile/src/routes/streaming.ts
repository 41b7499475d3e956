import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { Logger } from '@ums/service-kit/logger';
import type { ExportStream } from '../domain/exports.ts';

/**
 * Streams an export with backpressure: the next database batch is read only when the client has
 * taken the previous chunks, and a client that goes away stops the cursor.
 */
export async function sendExport(
  res: Response,
  stream: ExportStream,
  logger: Logger,
): Promise<void> {
  res.status(200).set({
    'Content-Type': stream.contentType,
    'Content-Disposition': `attachment; filename="${stream.filename}"`,
    'Cache-Control': 'no-store',
  });
  try {
    await pipeline(Readable.from(stream.chunks), res);
  } catch (error) {
    const gone = (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE';
    // Headers are out: the only signal left is the connection closing before the end.
    if (gone) logger.debug('export aborted by the client');
    else logger.warn({ err: error }, 'export failed while streaming');
    res.destroy();
  }
}
