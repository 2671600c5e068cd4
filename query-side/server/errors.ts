/**
 * The one mapping from errors to GraphQL errors with `extensions.code`. DomainErrors keep their code and message;
 * GraphQL's own parse/validation errors keep GraphQL's message and get a code; anything else is INTERNAL with a
 * generic message (the original is logged, never sent).
 */
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import { DomainError } from '../../contracts/errors.ts';

export interface ErrorLogger {
  error(object: unknown, message?: string): void;
}

/** An error a client may see verbatim, e.g. from a validation rule or a scalar. */
const codeOf = (error: { extensions?: Record<string, unknown> | undefined }): string | undefined =>
  typeof error.extensions?.code === 'string' ? error.extensions.code : undefined;

function graphqlOwnCode(error: GraphQLError): string {
  if (error.message.startsWith('Syntax Error')) return 'GRAPHQL_PARSE_FAILED';
  if (error.message.startsWith('Variable "$')) return 'BAD_USER_INPUT';
  return 'GRAPHQL_VALIDATION_FAILED';
}

/** Codes for client errors that fastify or mercurius raise with an HTTP status (bad JSON, GET mutation…). */
export const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

export const clientErrorStatus = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
};

/** mercurius sometimes hands the formatter plain errors; make them GraphQLErrors as mercurius itself does. */
function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const e = error as Error & { extensions?: Record<string, unknown> };
  return new GraphQLError(e.message, { originalError: e, ...(e.extensions && { extensions: e.extensions }) });
}

export function formatError(error: GraphQLError, log: ErrorLogger): GraphQLFormattedError {
  const original = error.originalError;
  const base = error.toJSON();
  if (original instanceof DomainError) {
    return {
      ...base,
      message: original.message,
      extensions: { ...(original.details ?? {}), ...base.extensions, code: original.code },
    };
  }
  const ownCode = codeOf(error);
  if (ownCode) return { ...base, extensions: { ...base.extensions, code: ownCode } };
  if (original === undefined || original === null) {
    return { ...base, extensions: { ...base.extensions, code: graphqlOwnCode(error) } };
  }
  if (original instanceof GraphQLError) {
    // e.g. a scalar's parse error wrapped by graphql-js coercion: keep the scalar's code.
    return { ...base, extensions: { ...base.extensions, code: codeOf(original) ?? graphqlOwnCode(error) } };
  }
  const status = clientErrorStatus(original);
  if (status !== undefined) {
    return { ...base, extensions: { code: CODE_OF_STATUS[status] ?? 'BAD_REQUEST' } };
  }
  log.error({ err: original, path: error.path }, 'unexpected error in a resolver');
  return { message: 'Internal server error', locations: base.locations, path: base.path, extensions: { code: 'INTERNAL' } };
}

/** Mercurius wraps validation errors in one error carrying `.errors`: unwrap them. */
function flatten(errors: readonly unknown[]): GraphQLError[] {
  return errors.flatMap((error) => {
    const graphqlError = asGraphQLError(error);
    const outer = graphqlError.originalError;
    const inner = (outer as { errors?: unknown } | undefined)?.errors;
    if (!Array.isArray(inner)) return [graphqlError];
    // Plain errors inside a client error (e.g. "Operation cannot be performed via a GET request") take its status.
    const status = clientErrorStatus(outer);
    return inner.map((e: unknown) =>
      e instanceof GraphQLError || status === undefined
        ? asGraphQLError(e)
        : new GraphQLError((e as Error).message, { extensions: { code: CODE_OF_STATUS[status] ?? 'BAD_REQUEST' } }),
    );
  });
}

export function formatExecutionErrors(
  execution: ExecutionResult & { errors: readonly GraphQLError[] },
  log: ErrorLogger,
): { statusCode: number; response: FormattedExecutionResult } {
  const flat = flatten(execution.errors);
  const errors = flat.map((e) => formatError(e, log));
  // Resolver errors answer 200 (GraphQL over HTTP); a request refused as a whole keeps its client status.
  const status = execution.data || flat.length !== 1 ? undefined : clientErrorStatus(flat[0]!.originalError);
  return { statusCode: status ?? 200, response: { data: execution.data ?? null, errors } };
}
