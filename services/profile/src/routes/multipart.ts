import busboy from 'busboy';
import type { Request, Response } from 'express';
import { AppError, badRequest } from '@ums/service-kit/errors';
import { closeAfterAnswer } from '@ums/service-kit/staged-close';

// Room for the multipart boundary and part headers around a file at the size limit.
const ENVELOPE_BYTES = 16 * 1024;

const tooLarge = (maxBytes: number) =>
  new AppError({
    code: 'avatar.too_large',
    status: 413,
    detail: `The file is larger than ${maxBytes} bytes.`,
  });

/**
 * Reads the one file of a `multipart/form-data` body, refusing oversize uploads with 413 before
 * the body is read: at once from Content-Length, or as soon as the streamed file passes the limit
 * (then the rest is not read and the connection is closed in stages after the answer).
 */
export function readSingleFile(
  req: Request,
  res: Response,
  options: { field: string; maxBytes: number },
): Promise<Buffer> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(
      new AppError({
        code: 'request.unsupported_media_type',
        status: 415,
        detail: `Send the file as multipart/form-data in the field "${options.field}".`,
      }),
    );
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxBytes + ENVELOPE_BYTES) {
    stopReading(req, res);
    return Promise.reject(tooLarge(options.maxBytes));
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    let file: Buffer | undefined;
    const fail = (error: AppError) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      stopReading(req, res);
      reject(error);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: options.maxBytes, fields: 0, parts: 2, headerPairs: 16 },
      });
    } catch {
      reject(badRequest('request.malformed_multipart', 'The multipart body is malformed.'));
      return;
    }
    parser.on('file', (name, stream) => {
      if (name !== options.field) {
        stream.resume();
        fail(badRequest('avatar.missing_file', `Send the file in the field "${options.field}".`));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(tooLarge(options.maxBytes)));
      stream.on('end', () => {
        if (!settled) file = Buffer.concat(chunks);
      });
    });
    parser.on('filesLimit', () => fail(badRequest('avatar.too_many_files', 'Send one file only.')));
    parser.on('fieldsLimit', () =>
      fail(badRequest('avatar.unexpected_field', 'Send the file only.')),
    );
    parser.on('partsLimit', () => fail(badRequest('avatar.too_many_parts', 'Send the file only.')));
    parser.on('error', () =>
      fail(badRequest('request.malformed_multipart', 'The multipart body is malformed.')),
    );
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      if (file && file.length > 0) resolve(file);
      else
        reject(badRequest('avatar.missing_file', `Send the file in the field "${options.field}".`));
    });
    req.on('aborted', () => fail(badRequest('request.aborted', 'The upload was aborted.')));
    req.pipe(parser);
  });
}

/** Reads nothing more of the body; the connection ends after the answer without a reset. */
function stopReading(req: Request, res: Response): void {
  req.pause();
  closeAfterAnswer(req, res);
}
