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
  const mercuriusCode = (original as { code?: unknown }).code;
  if (mercuriusCode === 'MER_ERR_GQL_QUERY_DEPTH') {
    return { ...base, extensions: { code: 'QUERY_TOO_DEEP' } };
  }
  log.error({ err: original, path: error.path }, 'unexpected error in a resolver');
  return { message: 'Internal server error', locations: base.locations, path: base.path, extensions: { code: 'INTERNAL' } };
}

/** Mercurius wraps validation errors in one error carrying `.errors`: unwrap them. */
function flatten(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.flatMap((error) => {
    const inner = (error.originalError as { errors?: unknown } | undefined)?.errors;
    if (Array.isArray(inner)) {
      return inner.map((e: unknown) =>
        e instanceof GraphQLError ? e : new GraphQLError((e as Error).message, { originalError: e as Error }),
      );
    }
    return [error];
  });
}

export function formatExecutionErrors(
  execution: ExecutionResult & { errors: readonly GraphQLError[] },
  log: ErrorLogger,
): { statusCode: number; response: FormattedExecutionResult } {
  const errors = flatten(execution.errors).map((e) => formatError(e, log));
  return { statusCode: 200, response: { data: execution.data ?? null, errors } };
}
