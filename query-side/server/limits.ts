/**
 * Query depth, complexity and alias limits. They run before GraphQL's own validation (mercurius's preValidation
 * hook, and first in the WebSocket check): one of graphql-js's rules (OverlappingFieldsCanBeMerged) is quadratic
 * in repeated fields, so an oversized query must be refused before it gets there — and, like any validation
 * error, before any resolver runs.
 *
 * Every field selection counts, whatever its alias and however often it repeats, and every fragment spread counts
 * its whole fragment again: that is what execution does. A fragment is measured once and its figures reused, so
 * fragments spreading fragments twice over (the "billion laughs" shape) cost a walk linear in the document.
 *
 * Introspection (`__schema`, `__type`) costs 1 and adds no depth, whatever it selects: GraphiQL's schema query is
 * deep by nature and cheap. Aliases inside it still count, since each alias runs its field again.
 */
import {
  GraphQLError,
  Kind,
  getNamedType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
  maxAliases: number;
}

/** What one operation would execute. `complexity` = fields the response can hold (lists times their size). */
export interface QueryCost {
  depth: number;
  complexity: number;
  aliases: number;
}

/** Lists multiply the cost of what is selected inside them by their `limit` argument, or by this when absent. */
const DEFAULT_LIST_SIZE = 10;

const ZERO: QueryCost = { depth: 0, complexity: 0, aliases: 0 };

function listSize(field: FieldNode): number {
  const limit = field.arguments?.find((arg) => arg.name.value === 'limit');
  if (limit?.value.kind === Kind.INT) return Math.max(1, Number(limit.value.value));
  return DEFAULT_LIST_SIZE;
}

function returnsList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

class Measurer {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  /** Per fragment and mode (inside introspection or not): its figures, so each fragment is walked once. */
  private readonly measured = new Map<string, QueryCost>();
  private readonly visiting = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  operation(node: OperationDefinitionNode): QueryCost {
    const root =
      node.operation === 'query'
        ? this.schema.getQueryType()
        : node.operation === 'mutation'
          ? this.schema.getMutationType()
          : this.schema.getSubscriptionType();
    return this.selectionSet(node.selectionSet, root ?? undefined, false);
  }

  private selectionSet(set: SelectionSetNode, parent: GraphQLNamedType | undefined, introspection: boolean): QueryCost {
    let depth = 0;
    let complexity = 0;
    let aliases = 0;
    for (const selection of set.selections) {
      let inner: QueryCost;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases += 1;
        const name = selection.name.value;
        const definition =
          parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
        const meta = name === '__schema' || name === '__type';
        const type = definition && getNamedType(definition.type);
        const children = selection.selectionSet
          ? this.selectionSet(selection.selectionSet, type, introspection || meta)
          : ZERO;
        aliases += children.aliases;
        if (introspection) continue;
        complexity += 1;
        if (meta) continue;
        const factor = definition && returnsList(definition.type) ? listSize(selection) : 1;
        complexity += factor * children.complexity;
        // __typename is in the response (so it costs) but is no level of work.
        if (!name.startsWith('__')) depth = Math.max(depth, 1 + children.depth);
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition && this.schema.getType(selection.typeCondition.name.value);
        inner = this.selectionSet(selection.selectionSet, condition ?? parent, introspection);
      } else {
        inner = this.fragment(selection.name.value, introspection);
      }
      depth = Math.max(depth, inner.depth);
      complexity += inner.complexity;
      aliases += inner.aliases;
    }
    return { depth, complexity, aliases };
  }

  private fragment(name: string, introspection: boolean): QueryCost {
    const key = `${introspection ? '?' : ''}${name}`;
    const known = this.measured.get(key);
    if (known) return known;
    const fragment = this.fragments.get(name);
    // Unknown or cyclic: GraphQL's own validation refuses the document.
    if (!fragment || this.visiting.has(key)) return ZERO;
    this.visiting.add(key);
    const type = this.schema.getType(fragment.typeCondition.name.value) ?? undefined;
    const cost = this.selectionSet(fragment.selectionSet, type, introspection);
    this.visiting.delete(key);
    this.measured.set(key, cost);
    return cost;
  }
}

/** The cost of each operation in the document (every one is checked, not only the one that will run). */
export function measureQuery(schema: GraphQLSchema, document: DocumentNode): Map<OperationDefinitionNode, QueryCost> {
  const measurer = new Measurer(schema, document);
  const costs = new Map<OperationDefinitionNode, QueryCost>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) costs.set(definition, measurer.operation(definition));
  }
  return costs;
}

/** `!(x <= max)` so that an overflow to Infinity or NaN is refused too. */
const exceeds = (value: number, max: number) => !(value <= max);

export function queryLimitErrors(schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits): GraphQLError[] {
  const errors: GraphQLError[] = [];
  for (const [node, { depth, complexity, aliases }] of measureQuery(schema, document)) {
    const { maxDepth, maxComplexity, maxAliases } = limits;
    if (exceeds(depth, maxDepth)) {
      errors.push(
        new GraphQLError(`query depth ${depth} exceeds the limit of ${maxDepth}`, {
          nodes: [node],
          extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth },
        }),
      );
    }
    if (exceeds(complexity, maxComplexity)) {
      errors.push(
        new GraphQLError(`query complexity ${complexity} exceeds the limit of ${maxComplexity}`, {
          nodes: [node],
          extensions: { code: 'QUERY_TOO_COMPLEX', complexity, maxComplexity },
        }),
      );
    }
    if (exceeds(aliases, maxAliases)) {
      errors.push(
        new GraphQLError(`query has ${aliases} aliases, more than the limit of ${maxAliases}`, {
          nodes: [node],
          extensions: { code: 'QUERY_TOO_MANY_ALIASES', aliases, maxAliases },
        }),
      );
    }
  }
  return errors;
}

/**
 * Thrown from mercurius's preValidation hook: shaped like mercurius's own validation error (HTTP 400, the GraphQL
 * errors in `errors`), which the server's error handler already answers as `{ data: null, errors }`.
 */
export class QueryLimitsExceeded extends Error {
  readonly statusCode = 400;

  constructor(readonly errors: readonly GraphQLError[]) {
    super('query over the limits');
  }
}

/**
 * Throws QueryLimitsExceeded when an operation is over a limit. mercurius also accepts a JSON-encoded AST as the
 * query: one this walk cannot read is refused too, since the limits would not hold for it.
 */
export function assertWithinLimits(schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits): void {
  let errors: GraphQLError[];
  try {
    errors = queryLimitErrors(schema, document, limits);
  } catch {
    errors = [new GraphQLError('malformed query document', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })];
  }
  if (errors.length > 0) throw new QueryLimitsExceeded(errors);
}
