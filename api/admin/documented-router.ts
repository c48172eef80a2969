import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Role } from '../../store/api-keys.js';
import { HttpError } from '../errors.js';
import { assertRole, principalOf, type Principal } from './auth.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One admin operation: its contract (for validation and the OpenAPI document) and its handler. */
export interface Operation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** Express-style path relative to /api/v1, e.g. `/tenants/:tenantId/settings`. */
  path: string;
  summary: string;
  tag: string;
  role: Role;
  params?: P;
  query?: Q;
  body?: B;
  /** Media type of the body when it is not JSON (CSV import). */
  bodyMediaType?: string;
  response?: z.ZodType;
  successStatus?: number;
  responseMediaType?: string;
  handler: (context: {
    params: z.output<P>;
    query: z.output<Q>;
    body: z.output<B>;
    principal: Principal;
    requestId: string | undefined;
    request: Request;
    response: Response;
  }) => Promise<unknown>;
}

const empty = z.object({});

/** Validation failures as field errors: 400 with every problem, not just the first. */
export function validationError(error: z.ZodError, where: string): HttpError {
  return new HttpError(
    400,
    'validation_failed',
    `the ${where} is not valid`,
    error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

/**
 * An express Router whose routes are declared with zod contracts, so validation and the
 * OpenAPI document come from the same schemas and cannot drift apart.
 */
export class DocumentedRouter {
  readonly router = Router();
  private readonly operations: Array<Operation<z.ZodType, z.ZodType, z.ZodType>> = [];

  add<P extends z.ZodType = typeof empty, Q extends z.ZodType = typeof empty, B extends z.ZodType = typeof empty>(
    operation: Operation<P, Q, B>,
  ): void {
    this.operations.push(operation);
    this.router[operation.method](operation.path, (request, response, next) => {
      const run = async () => {
        const principal = principalOf(response);
        assertRole(principal, operation.role);
        const parse = <S extends z.ZodType>(schema: S | undefined, value: unknown, where: string) => {
          const result = (schema ?? empty).safeParse(value ?? {});
          if (!result.success) throw validationError(result.error, where);
          return result.data as z.output<S>;
        };
        const params = parse(operation.params, request.params, 'path');
        const query = parse(operation.query, request.query, 'query');
        const body = parse(operation.body, request.body, 'request body');
        const result = await operation.handler({
          params,
          query,
          body,
          principal,
          requestId: response.locals.requestId as string | undefined,
          request,
          response,
        });
        if (response.headersSent) return;
        const status = operation.successStatus ?? 200;
        if (result === undefined) response.status(status === 200 ? 204 : status).end();
        else if (typeof result === 'string')
          response
            .status(status)
            .type(operation.responseMediaType ?? 'text/plain')
            .send(result);
        else response.status(status).json(result);
      };
      run().catch(next);
    });
  }

  /**
   * OpenAPI 3.1, generated from the registered contracts, plus named schemas that no operation
   * types exactly (parts of the settings a UI builds forms from, such as the rules).
   */
  openApiDocument(info: { title: string; version: string }, schemas: Record<string, z.ZodType> = {}): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const operation of this.operations) {
      const openApiPath = `/api/v1${operation.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
      const parameters = [
        ...objectProperties(operation.params).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
        ...objectProperties(operation.query).map(([name, schema, required]) => ({ name, in: 'query', required, schema })),
      ];
      paths[openApiPath] ??= {};
      paths[openApiPath][operation.method] = {
        summary: operation.summary,
        tags: [operation.tag],
        description: `Needs the ${operation.role} role.`,
        security: [{ bearerAuth: [] }],
        ...(parameters.length > 0 && { parameters }),
        ...(operation.body && {
          requestBody: {
            required: true,
            content: { [operation.bodyMediaType ?? 'application/json']: { schema: toJsonSchema(operation.body, 'input') } },
          },
        }),
        responses: {
          [String(operation.successStatus ?? (operation.response ? 200 : 204))]: {
            description: 'success',
            ...(operation.response && {
              content: { [operation.responseMediaType ?? 'application/json']: { schema: toJsonSchema(operation.response, 'output') } },
            }),
          },
          ...Object.fromEntries(
            [
              ['400', 'invalid input, with field errors'],
              ['401', 'missing or invalid API key'],
              ['403', 'the key lacks the role'],
              ['404', 'not found (or not visible to this key)'],
            ].map(([code, description]): [string, unknown] => [
              code!,
              { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
            ]),
          ),
        },
      };
    }
    return {
      openapi: '3.1.0',
      info,
      paths,
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
        schemas: {
          ...Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, toJsonSchema(schema, 'input')])),
          Error: {
            type: 'object',
            required: ['error'],
            properties: {
              error: {
                type: 'object',
                required: ['code', 'message'],
                properties: { code: { type: 'string' }, message: { type: 'string' }, requestId: { type: 'string' }, details: {} },
              },
            },
          },
        },
      },
    };
  }
}

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
}

function objectProperties(schema: z.ZodType | undefined): Array<[string, unknown, boolean]> {
  if (!(schema instanceof z.ZodObject)) return [];
  const json = toJsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => [name, property, json.required?.includes(name) ?? false]);
}

/** Thrown by handlers for a missing resource. */
export const notFoundError = (what: string): HttpError => new HttpError(404, 'not_found', `${what} not found`);
