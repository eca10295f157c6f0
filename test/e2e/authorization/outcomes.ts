import type { GraphQLField, GraphQLSchema } from 'graphql';
import type { TestHub } from '../../support/hub';
import { operationOf } from '../../support/operations';
import { collect, connectWs } from '../../support/ws';
import { MATRIX_ROLES, type MatrixRole } from './fixture';

export type RootKind = 'query' | 'mutation' | 'subscription';

type Errors = readonly { message?: string; extensions?: Record<string, unknown> }[];

/** What the schema's authorization answers a role a field does not admit (builder.ts). */
const GATE_REFUSALS = new Set(['UNAUTHENTICATED', 'FORBIDDEN: not allowed for this account']);

/**
 * Whether a role got through a field's gate: `refused` when the schema's authorization answered
 * (UNAUTHENTICATED, or FORBIDDEN for this account), `reached` for anything else: data, or the
 * field's own verdict on the made-up arguments (ValidationError, NotFoundError, or a
 * ForbiddenError from the row scope, which the node matrix covers). A masked error is reported as
 * it is, so it fails the comparison.
 */
export function outcomeOf(errors: Errors): string {
  const codes = errors.map((e) => String(e.extensions?.code));
  if (codes.includes('INTERNAL_SERVER_ERROR')) return 'masked error';
  if (errors.some((e) => GATE_REFUSALS.has(String(e.extensions?.code)) || GATE_REFUSALS.has(`${String(e.extensions?.code)}: ${e.message ?? ''}`)))
    return 'refused';
  return 'reached';
}

export function rootFields(schema: GraphQLSchema, kind: RootKind): GraphQLField<unknown, unknown>[] {
  const type = kind === 'query' ? schema.getQueryType() : kind === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return Object.values(type?.getFields() ?? {}).filter((field) => !field.name.startsWith('_'));
}

/** The roles that reach each root field of a kind, from the smallest operation of each. */
export async function rolesReaching(th: TestHub, tokens: Record<MatrixRole, string | undefined>, kind: RootKind): Promise<Record<string, string[]>> {
  const fields = rootFields(th.hub.schema, kind);
  const reached: Record<string, string[]> = Object.fromEntries(fields.map((f) => [f.name, []]));
  for (const role of MATRIX_ROLES) {
    if (kind === 'subscription') {
      const ws = connectWs(th.hub.port, tokens[role]);
      try {
        for (const field of fields) {
          const stream = collect(ws.client, operationOf('subscription', field));
          // a refused subscription ends at once; a reached one waits for events: give it a moment
          await stream.until(1, 300);
          const ended = stream.ended?.error;
          const errors = [...stream.received.flatMap((r) => r.errors ?? []), ...(Array.isArray(ended) ? (ended as Errors) : [])];
          const outcome = outcomeOf(errors);
          if (outcome !== 'refused') reached[field.name]?.push(outcome === 'reached' ? role : `${role} (${outcome})`);
          stream.dispose();
        }
      } finally {
        await ws.dispose();
      }
      continue;
    }
    for (const field of fields) {
      const { body } = await th.graphql(operationOf(kind, field), {}, tokens[role]);
      const outcome = outcomeOf(body.errors ?? []);
      if (outcome !== 'refused') reached[field.name]?.push(outcome === 'reached' ? role : `${role} (${outcome})`);
    }
  }
  return reached;
}
