import type { Response } from 'express';

/** The kinds of RFC 9457 problems the sandbox answers with, by their `type` URI. */
export const problemTypes = {
  badRequest: 'https://errors.clarity.test/bad-request',
  validation: 'https://errors.clarity.test/validation',
  unauthorized: 'https://errors.clarity.test/unauthorized',
  forbidden: 'https://errors.clarity.test/forbidden',
  notFound: 'https://errors.clarity.test/not-found',
  conflict: 'https://errors.clarity.test/conflict',
  idempotencyConflict: 'https://errors.clarity.test/idempotency-key-reused',
  rateLimited: 'https://errors.clarity.test/rate-limited',
  serverError: 'https://errors.clarity.test/server-error',
  unavailable: 'https://errors.clarity.test/unavailable',
} as const;

export interface FieldError {
  field: string;
  message: string;
}

/** A failure a route decided on; the app's error middleware turns it into problem+json. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

/** Writes a problem+json answer. */
export function sendProblem(response: Response, problem: ProblemError, instance: string): void {
  for (const [name, value] of Object.entries(problem.headers)) response.setHeader(name, value);
  response
    .status(problem.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: problem.type,
        title: problem.title,
        status: problem.status,
        ...(problem.detail !== undefined && { detail: problem.detail }),
        instance,
        ...(problem.errors !== undefined && { errors: problem.errors }),
      }),
    );
}

export const notFound = (what: string): ProblemError => new ProblemError(404, problemTypes.notFound, 'Not found', `${what} does not exist`);
export const conflict = (detail: string): ProblemError => new ProblemError(409, problemTypes.conflict, 'Conflict', detail);
export const validationFailed = (errors: FieldError[], detail = 'the request does not match the contract'): ProblemError =>
  new ProblemError(422, problemTypes.validation, 'Validation failed', detail, errors);
export const badRequest = (detail: string, errors?: FieldError[]): ProblemError =>
  new ProblemError(400, problemTypes.badRequest, 'Bad request', detail, errors);
