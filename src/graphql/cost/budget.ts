import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { hasRole, type Viewer } from '../../auth/viewer';
import { LimitError } from '../../errors';
import { AnalysisLimitError, analyseOperation, COSTLIEST_SHOWN, type CostPath, type OperationCost } from './analyse';

/** Who a request is for: each has its own budget (a setting). */
export type Audience = 'anonymous' | 'staff' | 'upstream' | 'federation';

export type Budgets = Readonly<Record<Audience, number>>;

export interface RequestRules {
  budgets: Budgets;
  maxDepth: number;
  maxAliases: number;
  /** entity representations one request may carry across all its `_entities` fields */
  maxEntities: number;
  /** tokens one document may have */
  maxTokens: number;
}

/** The standard introspection query nests `ofType` about a dozen levels deep. */
export const INTROSPECTION_MAX_DEPTH = 20;

/** One operation as a transport received it; checked before anything is validated or run. */
export interface OperationInput {
  query: unknown;
  operationName?: unknown;
  variables?: unknown;
}

export interface RequestCost {
  audience: Audience;
  budget: number;
  /** rows the whole request may touch */
  cost: number;
  entities: number;
  operations: (OperationCost | undefined)[];
}

/** A request refused by the limits: the message names what was over, `details` go to `extensions`. */
export class CostLimitError extends LimitError {
  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

/** The budget a viewer gets on an endpoint: federation has its own, whoever asks. */
export function audienceOf(viewer: Viewer, federation: boolean): Audience {
  if (federation) return 'federation';
  if (viewer.subject === undefined) return 'anonymous';
  return hasRole(viewer, 'upstream') ? 'upstream' : 'staff';
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const shown = (value: number): string => (Number.isFinite(value) && value < 1e15 ? number.format(value) : 'more than 10^15');

function parseDocument(query: string, maxTokens: number): DocumentNode | undefined {
  try {
    return parse(query, { maxTokens, noLocation: true });
  } catch {
    // syntax errors and too many tokens: the executor parses with the same limit and says so
    return undefined;
  }
}

/** Analyses kept per schema: clients send the same few documents with the same variables again and again. */
const ANALYSES_MAX = 500;
/** Longer keys (big variables: ingest batches) are analysed afresh each time rather than kept. */
const ANALYSIS_KEY_MAX = 16_384;
const analyses = new WeakMap<GraphQLSchema, Map<string, OperationCost | undefined>>();

/**
 * The analysis of one operation, remembered by its document, operation name and variables (all
 * it depends on besides the schema). Results are read, never changed, by the callers.
 */
function analyse(schema: GraphQLSchema, input: OperationInput & { query: string }, maxTokens: number): OperationCost | undefined {
  const operationName = typeof input.operationName === 'string' ? input.operationName : undefined;
  const variables =
    input.variables && typeof input.variables === 'object' && !Array.isArray(input.variables) ? (input.variables as Record<string, unknown>) : undefined;
  const key = `${maxTokens}\u0000${operationName ?? ''}\u0000${variables ? JSON.stringify(variables) : ''}\u0000${input.query}`;
  const cacheable = key.length <= ANALYSIS_KEY_MAX;
  let known = cacheable ? analyses.get(schema) : undefined;
  if (known?.has(key)) {
    const analysed = known.get(key);
    // re-inserted: the least recently used goes first when the map is full
    known.delete(key);
    known.set(key, analysed);
    return analysed;
  }
  const document = parseDocument(input.query, maxTokens);
  const analysed = document && analyseOperation({ schema, document, operationName, variables });
  if (cacheable) {
    if (!known) analyses.set(schema, (known = new Map()));
    known.set(key, analysed);
    if (known.size > ANALYSES_MAX) known.delete(known.keys().next().value as string);
  }
  return analysed;
}

/**
 * Analyses every operation of a request (all of a batch, every alias) against one budget, one
 * entity cap, and the depth and alias limits; throws CostLimitError naming the costliest paths.
 * Nothing of a refused request runs.
 */
export function checkRequest(schema: GraphQLSchema, inputs: readonly OperationInput[], audience: Audience, rules: RequestRules): RequestCost {
  const budget = rules.budgets[audience];
  const operations: (OperationCost | undefined)[] = [];
  const paths: CostPath[] = [];
  let cost = 0;
  let entities = 0;
  inputs.forEach((input, index) => {
    if (typeof input.query !== 'string') {
      operations.push(undefined);
      return;
    }
    let analysed: OperationCost | undefined;
    try {
      analysed = analyse(schema, input as OperationInput & { query: string }, rules.maxTokens);
    } catch (error) {
      if (error instanceof AnalysisLimitError) throw new CostLimitError(`${error.message}: split it into smaller operations`, { audience });
      throw error;
    }
    operations.push(analysed);
    if (!analysed) return;
    const where = inputs.length > 1 ? `operation ${index + 1}: ` : '';
    if (analysed.depth > rules.maxDepth)
      throw new CostLimitError(`${where}operation depth ${analysed.depth} exceeds the limit of ${rules.maxDepth}`, { depth: analysed.depth });
    if (analysed.introspectionDepth > INTROSPECTION_MAX_DEPTH) {
      throw new CostLimitError(`${where}introspection depth ${analysed.introspectionDepth} exceeds the limit of ${INTROSPECTION_MAX_DEPTH}`, {
        depth: analysed.introspectionDepth,
      });
    }
    if (analysed.aliases > rules.maxAliases)
      throw new CostLimitError(`${where}operation uses ${shown(analysed.aliases)} aliases; the limit is ${rules.maxAliases}`, { aliases: analysed.aliases });
    cost += analysed.cost;
    entities += analysed.entities;
    const prefix = inputs.length > 1 ? `[${index}] ` : '';
    for (const path of analysed.costliest) paths.push({ path: `${prefix}${path.path}`, cost: path.cost });
  });
  if (entities > rules.maxEntities) {
    throw new CostLimitError(`the request carries ${shown(entities)} entity representations; the limit is ${rules.maxEntities} per request`, {
      entities,
      limit: rules.maxEntities,
    });
  }
  if (cost > budget) {
    const costliest = paths.sort((a, b) => b.cost - a.cost).slice(0, COSTLIEST_SHOWN);
    const named = costliest.map((p) => `${p.path} ${shown(p.cost)}`).join(', ');
    throw new CostLimitError(
      `${inputs.length > 1 ? 'request' : 'operation'} cost ${shown(cost)} exceeds the budget of ${shown(budget)} for ${audience}; costliest: ${named}. Ask for fewer rows (first, limit) or split the request`,
      { cost: Number.isFinite(cost) ? cost : null, budget, audience, costliest },
    );
  }
  return { audience, budget, cost, entities, operations };
}
