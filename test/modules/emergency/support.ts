import { expect } from 'vitest';
import type { TestHub } from '../../support/hub';
import { data } from '../grid/support';

export const RESULT = `__typename ... on Error { message } ... on ValidationError { problems { path message } }`;

export const INCIDENT_FIELDS = `id title type level warningColour status proposed cellCode reporterSubject reporterName
  proposedLevel { level decidingCriteria } responseLead availableActions
  reportDeadline reportedUpwardAt upwardReportStatus reportDeadlineMet`;

export interface IncidentView {
  id: string;
  title: string;
  type: string;
  level: string;
  warningColour: string;
  status: string;
  proposed: boolean;
  cellCode: string | null;
  reporterSubject: string;
  reporterName: string | null;
  proposedLevel: { level: string; decidingCriteria: string[] };
  responseLead: string;
  availableActions: string[];
  reportDeadline: string | null;
  reportedUpwardAt: string | null;
  upwardReportStatus: string;
  reportDeadlineMet: boolean | null;
}

/** Reports an incident through GraphQL and returns it; fails on any error result. */
export async function report(th: TestHub, token: string, input: Record<string, unknown>): Promise<IncidentView> {
  const response = await th.graphql(
    `mutation($input: EmergencyReportInput!) { reportEmergencyIncident(input: $input) { ${RESULT} ... on MutationReportEmergencyIncidentSuccess { data { ${INCIDENT_FIELDS} } } } }`,
    { input: { type: 'WATER_POLLUTION', ...input } },
    token,
  );
  const incident = data<IncidentView>(response, 'reportEmergencyIncident');
  expect(incident.id, JSON.stringify(response.body)).toBeTruthy();
  return incident;
}

/** Runs a mutation that takes `id` (and `note`) and returns its typed result's typename and data or message. */
export async function act(
  th: TestHub,
  token: string,
  field: string,
  id: string,
  extra = '',
): Promise<{ __typename: string; message?: string; data?: IncidentView }> {
  const success = `Mutation${field[0]?.toUpperCase()}${field.slice(1)}Success`;
  const response = await th.graphql(
    `mutation($id: ID!) { ${field}(id: $id${extra}) { ${RESULT} ... on ${success} { data { ${INCIDENT_FIELDS} } } } }`,
    { id },
    token,
  );
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return (response.body.data as Record<string, { __typename: string; message?: string; data?: IncidentView }>)[field] as { __typename: string };
}
