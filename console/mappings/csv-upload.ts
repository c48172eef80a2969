import type { Request, RequestHandler } from 'express';
import { HttpError } from '../../api/errors.js';

/**
 * Reads a multipart/form-data post (the CSV import form, a file input) into `request.body`:
 * its text fields as strings, and the file's text under {@link uploadedCsv}. It runs before the
 * CSRF check, which then finds the form's token as in any other form. Parsed by the platform's
 * own `Response.formData()` (undici), so no multipart dependency; 2 MB at most, as the admin API's CSV.
 */

const maxBytes = 2 * 1024 * 1024;
const fileField = 'file';
const uploadedKey = Symbol('uploaded CSV');

async function readBody(request: Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError(413, 'payload_too_large', 'The file is larger than 2 MB; split it and import the parts.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export const multipartFormBody: RequestHandler = (request, _response, next) => {
  if (request.method !== 'POST' || !request.is('multipart/form-data')) {
    next();
    return;
  }
  const read = async () => {
    const body = await readBody(request);
    const form = await new Response(body, { headers: { 'content-type': request.get('content-type') ?? '' } }).formData();
    const fields: Record<string, string> & { [uploadedKey]?: string } = {};
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') fields[name] = value;
      else if (name === fileField) fields[uploadedKey] = await value.text();
    }
    request.body = fields;
  };
  read().then(
    () => next(),
    (error: unknown) =>
      next(error instanceof HttpError ? error : new HttpError(400, 'bad_form', 'The form could not be read; send it again.')),
  );
};

/** The text of the file posted in a multipart form's `file` field, if one was. */
export function uploadedCsv(request: Request): string | undefined {
  return (request.body as { [uploadedKey]?: string } | undefined)?.[uploadedKey];
}
