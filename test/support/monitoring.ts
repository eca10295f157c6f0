import type { TestHub } from './hub';
import { CreateMonitorDocument, IngestReadingsDocument, SetLimitDocument, type ReadingInterval, type MonitorKind, type LimitBasis } from '../generated/graphql';

/** Fluent fixtures for the monitoring core, through GraphQL as an administrator. */
export async function createMonitor(
  th: TestHub,
  admin: string,
  input: { mn: string; cellCode?: string; enterpriseUscc?: string; kind?: string; intervalSeconds?: number; password?: string },
): Promise<string> {
  const { body } = await th.execute(
    CreateMonitorDocument,
    {
      input: {
        mn: input.mn,
        password: input.password ?? '123456',
        name: `monitor ${input.mn}`,
        kind: (input.kind ?? 'WASTEWATER_OUTLET') as MonitorKind,
        intervalSeconds: input.intervalSeconds ?? 60,
        cellCode: input.cellCode ?? null,
        enterpriseUscc: input.enterpriseUscc ?? null,
      },
    },
    admin,
  );
  const result = body.data?.createMonitor;
  if (result?.__typename !== 'MutationCreateMonitorSuccess') throw new Error(`createMonitor failed: ${JSON.stringify(body)}`);
  return result.data.id;
}

export async function setLimit(
  th: TestHub,
  admin: string,
  input: {
    monitor?: string;
    monitorKind?: string;
    factor: string;
    period?: string;
    upper?: number;
    lower?: number;
    warningRatio?: number;
    validFrom?: string;
    basis?: string;
  },
): Promise<void> {
  const { body } = await th.execute(
    SetLimitDocument,
    {
      input: {
        ...input,
        period: (input.period ?? 'RTD') as ReadingInterval,
        basis: input.basis as LimitBasis | undefined,
        monitorKind: input.monitorKind as MonitorKind | undefined,
        validFrom: input.validFrom ?? '2000-01-01T00:00:00Z',
      },
    },
    admin,
  );
  if (body.data?.setLimit.__typename !== 'MutationSetLimitSuccess') throw new Error(`setLimit failed: ${JSON.stringify(body)}`);
}

export interface IngestReport {
  accepted: number;
  duplicates: number;
  rejected: number;
  episodesOpened: number;
  items: { index: number; outcome: string; reason: string | null }[];
}

export async function ingest(
  th: TestHub,
  token: string,
  readings: { mn: string; factor?: string; interval?: string; time: Date | string; value: number | null; flag?: string; converted?: number }[],
): Promise<IngestReport> {
  const { body } = await th.execute(
    IngestReadingsDocument,
    {
      readings: readings.map((r) => ({
        mn: r.mn,
        factor: r.factor ?? 'w01018',
        interval: (r.interval ?? 'RTD') as ReadingInterval,
        time: typeof r.time === 'string' ? r.time : r.time.toISOString(),
        value: r.value,
        flag: r.flag ?? 'N',
        ...(r.converted !== undefined ? { converted: r.converted } : {}),
      })),
    },
    token,
  );
  const result = body.data?.ingestReadings;
  if (result?.__typename !== 'MutationIngestReadingsSuccess') throw new Error(`ingest failed: ${JSON.stringify(body)}`);
  return result.data;
}

/** A time `minutes` before a fixed base, so series are ordered and never in the future. */
export const minutesAgo = (minutes: number, base = Date.now()): Date => new Date(base - minutes * 60_000);

/** Polls until `check` returns a value, at most `tries` times: for effects of asynchronous workers. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, tries = 100, delayMs = 100): Promise<T> {
  for (let attempt = 0; attempt < tries; attempt += 1) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  throw new Error('condition not met in time');
}
