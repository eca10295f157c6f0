import { expect } from 'vitest';
import type { TestHub } from '../../support/hub';

export const RESULT = `__typename ... on Error { message } ... on ValidationError { problems { path message } }`;
export const INSTANCE = `id title status currentStep { id name mode } assignees approvedBy path stepOverdue definition { key version } actions { step action actor opinion returnTo forwardTo }`;

export interface Instance {
  id: string;
  title: string;
  status: string;
  currentStep: { id: string; name: string; mode: string } | null;
  assignees: string[];
  approvedBy: string[];
  path: string[];
  stepOverdue: boolean;
  definition: { key: string; version: number };
  actions: { step: string | null; action: string; actor: string; opinion: string | null; returnTo: string | null; forwardTo: string | null }[];
}

export interface Outcome<T> {
  __typename: string;
  message?: string;
  data?: T;
  problems?: { path: string; message: string }[];
}

const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** A thin client over the OA mutations and queries, failing on any untyped GraphQL error. */
export class OaClient {
  constructor(readonly hub: TestHub) {}

  async data<T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
    const response = await this.hub.graphql<T>(query, variables, token);
    expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
    return response.body.data as T;
  }

  async mutate<T>(field: string, args: string, selection: string, variables: Record<string, unknown>, token: string): Promise<Outcome<T>> {
    const data = await this.data<Record<string, Outcome<T>>>(
      `mutation(${args}) { ${field}(${args.replace(/\$(\w+):[^,]+/g, '$1: $$$1')}) { ${RESULT} ... on Mutation${capital(field)}Success { data { ${selection} } } } }`,
      variables,
      token,
    );
    return data[field] as Outcome<T>;
  }

  async person(admin: string, subject: string, name: string, organisation: string, roles: string[]): Promise<void> {
    const outcome = await this.mutate('upsertOaPerson', '$input: OaPersonInput!', 'subject', { input: { subject, name, organisation, roles } }, admin);
    expect(outcome.__typename).toBe('MutationUpsertOaPersonSuccess');
  }

  async define(admin: string, input: Record<string, unknown>): Promise<{ id: string; version: number }> {
    const outcome = await this.mutate<{ id: string; version: number }>(
      'saveOaWorkflowDefinition',
      '$input: OaWorkflowDefinitionInput!',
      'id version',
      { input },
      admin,
    );
    expect(outcome.__typename, JSON.stringify(outcome)).toBe('MutationSaveOaWorkflowDefinitionSuccess');
    return outcome.data as { id: string; version: number };
  }

  start(token: string, input: Record<string, unknown>): Promise<Outcome<Instance>> {
    return this.mutate<Instance>('startOaWorkflow', '$input: OaStartWorkflowInput!', INSTANCE, { input }, token);
  }

  async started(token: string, input: Record<string, unknown>): Promise<Instance> {
    const outcome = await this.start(token, input);
    expect(outcome.__typename, JSON.stringify(outcome)).toBe('MutationStartOaWorkflowSuccess');
    return outcome.data as Instance;
  }

  act(
    field: 'approveOaWorkflow' | 'rejectOaWorkflow' | 'returnOaWorkflow' | 'forwardOaWorkflow' | 'commentOaWorkflow',
    token: string,
    input: Record<string, unknown>,
  ): Promise<Outcome<Instance>> {
    return this.mutate<Instance>(field, '$input: OaWorkflowActInput!', INSTANCE, { input }, token);
  }

  async approve(token: string, instance: string, opinion = '同意'): Promise<Instance> {
    const outcome = await this.act('approveOaWorkflow', token, { instance, opinion });
    expect(outcome.__typename, JSON.stringify(outcome)).toBe('MutationApproveOaWorkflowSuccess');
    return outcome.data as Instance;
  }
}

/** Steps as the definition input takes them. */
export const stepInput = (id: string, subjects: string[], extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  mode: 'ANY_ONE',
  subjects,
  timeLimitHours: 24,
  ...extra,
});
