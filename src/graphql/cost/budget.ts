import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { hasRole, type Viewer } from '../../auth/viewer';
import { LimitError } from '../errors';
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
    const document = parseDocument(input.query, rules.maxTokens);
    let analysed: OperationCost | undefined;
    try {
      analysed =
        document &&
        analyseOperation({
          schema,
          document,
          operationName: typeof input.operationName === 'string' ? input.operationName : undefined,
          variables: input.variables && typeof input.variables === 'object' && !Array.isArray(input.variables) ? (input.variables as Record<string, unknown>) : undefined,
        });
    } catch (error) {
      if (error instanceof AnalysisLimitError) throw new CostLimitError(`${error.message}: split it into smaller operations`, { audience });
      throw error;
    }
    operations.push(analysed);
    if (!analysed) return;
    const where = inputs.length > 1 ? `operation ${index + 1}: ` : '';
    if (analysed.depth > rules.maxDepth) throw new CostLimitError(`${where}operation depth ${analysed.depth} exceeds the limit of ${rules.maxDepth}`, { depth: analysed.depth });
    if (analysed.introspectionDepth > INTROSPECTION_MAX_DEPTH) {
      throw new CostLimitError(`${where}introspection depth ${analysed.introspectionDepth} exceeds the limit of ${INTROSPECTION_MAX_DEPTH}`, { depth: analysed.introspectionDepth });
    }
    if (analysed.aliases > rules.maxAliases) throw new CostLimitError(`${where}operation uses ${shown(analysed.aliases)} aliases; the limit is ${rules.maxAliases}`, { aliases: analysed.aliases });
    cost += analysed.cost;
    entities += analysed.entities;
    const prefix = inputs.length > 1 ? `[${index}] ` : '';
    for (const path of analysed.costliest) paths.push({ path: `${prefix}${path.path}`, cost: path.cost });
  });
  if (entities > rules.maxEntities) {
    throw new CostLimitError(`the request carries ${shown(entities)} entity representations; the limit is ${rules.maxEntities} per request`, { entities, limit: rules.maxEntities });
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
