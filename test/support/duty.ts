import { expect } from 'vitest';
import type { TestHub } from './hub';

/** A monitor of the demo district with an upper limit, and what breaks it. */
export interface LimitedMonitor {
  mn: string;
  name: string;
  enterpriseUscc: string | null;
  factor: string;
  interval: string;
  upper: number;
  converted: boolean;
}

/** The first outlet monitors (in id order) that carry an upper limit on some factor. */
export async function limitedMonitors(hub: TestHub, token: string, count = 1): Promise<LimitedMonitor[]> {
  const response = await hub.graphql<{
    monitors: {
      edges: {
        node: { mn: string; name: string; enterpriseUscc: string | null; limits: { factor: string; period: string; upper: number | null; basis: string }[] };
      }[];
    };
  }>(
    `{ monitors(first: 50, filter: { kind: [WASTEWATER_OUTLET] }) { edges { node { mn name enterpriseUscc limits { factor period upper basis } } } } }`,
    {},
    token,
  );
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  const found: LimitedMonitor[] = [];
  for (const { node } of response.body.data?.monitors.edges ?? []) {
    const limit = node.limits.find((l) => l.upper !== null && l.period === 'RTD');
    if (limit)
      found.push({
        mn: node.mn,
        name: node.name,
        enterpriseUscc: node.enterpriseUscc,
        factor: limit.factor,
        interval: limit.period,
        upper: limit.upper as number,
        converted: limit.basis === 'CONVERTED',
      });
    if (found.length === count) break;
  }
  expect(found).toHaveLength(count);
  return found;
}

/** Ingests one value at `ratio` times the monitor's limit through GraphQL (an admin or device token). */
export async function ingestAt(hub: TestHub, token: string, monitor: LimitedMonitor, ratio: number, time: Date): Promise<void> {
  const value = Math.round(monitor.upper * ratio * 1000) / 1000;
  const response = await hub.graphql<{ ingestReadings: { __typename: string; data?: { accepted: number } } }>(
    `mutation ($readings: [ReadingInput!]!) { ingestReadings(readings: $readings) { __typename ... on MutationIngestReadingsSuccess { data { accepted } } } }`,
    {
      readings: [
        {
          mn: monitor.mn,
          factor: monitor.factor,
          interval: monitor.interval,
          time: time.toISOString(),
          value,
          ...(monitor.converted ? { converted: value } : {}),
        },
      ],
    },
    token,
  );
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  expect(response.body.data?.ingestReadings.data?.accepted, JSON.stringify(response.body.data)).toBe(1);
}
