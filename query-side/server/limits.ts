/**
 * Query depth and complexity limits as GraphQL validation rules, so an over-limit query is refused before any
 * resolver runs. Introspection fields (`__schema`, `__type`) are not counted: GraphiQL's introspection query is
 * deep by nature and cheap.
 */
import {
  GraphQLError,
  Kind,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type FieldNode,
} from 'graphql';

/** Lists multiply the cost of what is selected inside them by their `limit` argument, or by this when absent. */
const DEFAULT_LIST_SIZE = 10;

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

function fragmentsOf(context: ValidationContext): Fragments {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) map.set(definition.name.value, definition);
  }
  return map;
}

function depthOf(selectionSet: SelectionSetNode, fragments: Fragments, visiting: Set<string>): number {
  let max = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      const inner = selection.selectionSet ? depthOf(selection.selectionSet, fragments, visiting) : 0;
      max = Math.max(max, 1 + inner);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depthOf(selection.selectionSet, fragments, visiting));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue; // unknown or cyclic: other rules report it
      visiting.add(name);
      max = Math.max(max, depthOf(fragment.selectionSet, fragments, visiting));
      visiting.delete(name);
    }
  }
  return max;
}

export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context) => {
    const fragments = fragmentsOf(context);
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, fragments, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`query depth ${depth} exceeds the limit of ${maxDepth}`, {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth },
            }),
          );
        }
      },
    };
  };
}

function listSize(field: FieldNode): number {
  const limit = field.arguments?.find((arg) => arg.name.value === 'limit');
  if (limit?.value.kind === Kind.INT) return Math.max(1, Number(limit.value.value));
  return DEFAULT_LIST_SIZE;
}

function returnsList(type: GraphQLOutputType): boolean {
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  return isListType(unwrapped);
}

function costOf(
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType | undefined,
  multiplier: number,
  fragments: Fragments,
  context: ValidationContext,
  visiting: Set<string>,
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      cost += multiplier;
      if (!selection.selectionSet) continue;
      const definition =
        parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
      const inner = definition && returnsList(definition.type) ? multiplier * listSize(selection) : multiplier;
      const type = definition ? getNamedType(definition.type) : undefined;
      cost += costOf(selection.selectionSet, type, inner, fragments, context, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition
        ? context.getSchema().getType(selection.typeCondition.name.value) ?? undefined
        : parent;
      cost += costOf(selection.selectionSet, type, multiplier, fragments, context, visiting);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      const type = context.getSchema().getType(fragment.typeCondition.name.value) ?? undefined;
      cost += costOf(fragment.selectionSet, type, multiplier, fragments, context, visiting);
      visiting.delete(name);
    }
  }
  return cost;
}

/** Complexity = number of fields a response can hold: each field costs 1, times the sizes of enclosing lists. */
export function complexityLimitRule(maxComplexity: number): ValidationRule {
  return (context) => {
    const fragments = fragmentsOf(context);
    return {
      OperationDefinition(node) {
        const schema = context.getSchema();
        const root =
          node.operation === 'query'
            ? schema.getQueryType()
            : node.operation === 'mutation'
              ? schema.getMutationType()
              : schema.getSubscriptionType();
        const complexity = costOf(node.selectionSet, root ?? undefined, 1, fragments, context, new Set());
        if (complexity > maxComplexity) {
          context.reportError(
            new GraphQLError(`query complexity ${complexity} exceeds the limit of ${maxComplexity}`, {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_COMPLEX', complexity, maxComplexity },
            }),
          );
        }
      },
    };
  };
}
