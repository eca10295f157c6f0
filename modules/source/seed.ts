import type { HubRuntime } from '../../src/modules';
import { demoDevicePassword } from '../../src/demo/devices';
import { demoCells, type DemoCell } from '../../src/demo/district';
import { pick, seededRandom } from '../../src/demo/random';
import { monitoringServiceRef, type Monitor, type MonitorKind } from '../../src/monitoring/public';
import { HEAVY_METAL_UNITS } from './service/outlets';
import { LIMIT_PERIODS } from './service/permits';
import type { ControlLevel } from './service/types';
import {
  sourceCameras,
  sourceCases,
  sourceDocuments,
  sourceEnterprises,
  sourceFacilities,
  sourceHazardousWaste,
  sourceInspections,
  sourceOutletMonitors,
  sourceOutlets,
  sourcePermitLimits,
  sourcePermits,
  sourceRiskSources,
  sourceSamplers,
  sourceVideoSites,
} from './tables';
import { completeUscc, USCC_CHARSET } from './uscc';
import {
  WASTEWATER_LIMITS,
  SEWAGE_LIMITS,
  FLUE_GAS_LIMITS,
  HEAVY_METAL_LIMITS,
  INDUSTRIES,
  PREFIXES,
  INDUSTRY_PLAN,
  type LimitSpec,
  type Industry,
} from './seed-industries';

const DAY = 86_400_000;
export const SEED_ENTERPRISES = 60;
export const SEED_SITES = 75;
export const SEED_CAMERAS = 260;
export const HEAVY_METAL_ENTERPRISES = 4;
export const SAMPLER_ENTERPRISES = 30;

function controlLevelOf(index: number): ControlLevel {
  if (index < 6) return 'STATE';
  if (index < 14) return 'PROVINCE';
  if (index < 24) return 'CITY';
  return 'DISTRICT_KEY';
}

/** Deterministic demo MN: `SRC`, the district code, outlet serial and a letter for the device. */
export function demoSourceMn(enterpriseIndex: number, device: 'W' | 'G' | 'H'): string {
  return `SRC510112${String(enterpriseIndex + 1).padStart(4, '0')}${device}`;
}

function demoUscc(random: () => number): string {
  let body = '';
  for (let i = 0; i < 8; i += 1) body += random() < 0.85 ? String(Math.floor(random() * 10)) : pick(random, USCC_CHARSET.slice(10).split(''));
  return completeUscc(`91510112${body}`);
}

/**
 * The demo district's pollution sources: 60 enterprises in village cells (24 state, province or
 * city controlled), permits with typical limits, outlets with monitors the HJ 212 simulator plays
 * (4 with heavy-metal analysers), 30 water samplers, 75 video sites with 260 cameras, inspections
 * and cases. Tables of this module are written in batches; monitors go through the monitoring core.
 */
export async function seedSources(hub: HubRuntime): Promise<void> {
  const random = seededRandom(2016);
  const db = hub.db.orm;
  const monitoring = hub.services.get(monitoringServiceRef);
  const now = hub.now();
  const villages = demoCells().filter((c) => c.level === 3);
  const kinds: string[] = [];
  for (let i = 0; i < SEED_ENTERPRISES; i += 1)
    kinds.push(
      INDUSTRY_PLAN[i] ??
        pick(
          random,
          Object.keys(INDUSTRIES).filter((k) => k !== 'sewage'),
        ),
    );
  const cells: DemoCell[] = kinds.map((_k, i) => villages[(i * 37) % villages.length] as DemoCell);
  const usedNames = new Set<string>();
  const enterpriseRows = kinds.map((kind, i) => {
    const industry = INDUSTRIES[kind] as Industry;
    let name = '';
    do name = `成都${pick(random, PREFIXES)}${pick(random, industry.suffixes)}`;
    while (usedNames.has(name));
    usedNames.add(name);
    const cell = cells[i] as DemoCell;
    return {
      uscc: demoUscc(random),
      name,
      industry: industry.name,
      address: `成都市龙泉驿区${cell.name}${1 + Math.floor(random() * 300)}号`,
      longitude: Math.round((cell.longitude + (random() - 0.5) * 0.006) * 1e6) / 1e6,
      latitude: Math.round((cell.latitude + (random() - 0.5) * 0.006) * 1e6) / 1e6,
      cellCode: cell.code,
      controlLevel: controlLevelOf(i),
      status: i % 29 === 28 ? 'SUSPENDED' : 'OPERATING',
    };
  });
  const enterprises = await db.insert(sourceEnterprises).values(enterpriseRows).returning();
  const permits = await db
    .insert(sourcePermits)
    .values(
      enterprises.map((e, i) => ({
        enterpriseId: e.id,
        number: `${e.uscc}001P`,
        validFrom: new Date(Date.UTC(2020 + (i % 4), i % 12, 1)),
        validTo: new Date(Date.UTC(2025 + (i % 4), i % 12, 1)),
        issuedBy: '成都市生态环境局',
      })),
    )
    .returning();

  // Online monitoring: every state/province/city source and every sampler enterprise; the rest are filed without devices.
  const monitored = (i: number): boolean => i < SAMPLER_ENTERPRISES;
  const outletRows: (typeof sourceOutlets.$inferInsert)[] = [];
  enterprises.forEach((e, i) => {
    outletRows.push({ enterpriseId: e.id, code: 'DW001', name: '废水总排口', kind: 'WASTEWATER', longitude: e.longitude, latitude: e.latitude });
    if ((INDUSTRIES[kinds[i] as string] as Industry).flueGas) {
      outletRows.push({
        enterpriseId: e.id,
        code: 'DA001',
        name: '锅炉废气排放口',
        kind: 'FLUE_GAS',
        longitude: e.longitude,
        latitude: e.latitude,
        referenceO2: 3.5,
      });
    }
  });
  const outlets = await db.insert(sourceOutlets).values(outletRows).returning();
  const indexOf = new Map(enterprises.map((e, i) => [e.id, i]));
  type Device = { outletId: number; enterpriseIndex: number; kind: MonitorKind; mn: string; limits: readonly LimitSpec[] };
  const devices: Device[] = [];
  for (const outlet of outlets) {
    const i = indexOf.get(outlet.enterpriseId) as number;
    if (!monitored(i)) continue;
    if (outlet.kind === 'WASTEWATER') {
      devices.push({
        outletId: outlet.id,
        enterpriseIndex: i,
        kind: 'WASTEWATER_OUTLET',
        mn: demoSourceMn(i, 'W'),
        limits: kinds[i] === 'sewage' ? SEWAGE_LIMITS : WASTEWATER_LIMITS,
      });
      if (i < HEAVY_METAL_ENTERPRISES)
        devices.push({ outletId: outlet.id, enterpriseIndex: i, kind: 'HEAVY_METAL_ANALYSER', mn: demoSourceMn(i, 'H'), limits: HEAVY_METAL_LIMITS });
    } else if (i < 24) {
      devices.push({ outletId: outlet.id, enterpriseIndex: i, kind: 'FLUE_GAS_OUTLET', mn: demoSourceMn(i, 'G'), limits: FLUE_GAS_LIMITS });
    }
  }
  // Password hashing dominates: hash a few at once (each monitor is its own statement pair).
  const monitors: Monitor[] = [];
  for (let start = 0; start < devices.length; start += 8) {
    monitors.push(
      ...(await Promise.all(
        devices.slice(start, start + 8).map((d) => {
          const e = enterprises[d.enterpriseIndex] as (typeof enterprises)[number];
          return monitoring.createMonitor({
            mn: d.mn,
            password: demoDevicePassword(d.mn),
            name: `${e.name} ${d.kind === 'FLUE_GAS_OUTLET' ? '废气' : d.kind === 'HEAVY_METAL_ANALYSER' ? '重金属' : '废水'}在线监测`,
            kind: d.kind,
            ownerModule: 'source',
            ownerId: String(d.outletId),
            enterpriseUscc: e.uscc,
            cellCode: e.cellCode,
            longitude: e.longitude,
            latitude: e.latitude,
            intervalSeconds: 60,
            units: d.kind === 'HEAVY_METAL_ANALYSER' ? { ...HEAVY_METAL_UNITS } : null,
          });
        }),
      )),
    );
  }
  await db
    .insert(sourceOutletMonitors)
    .values(monitors.map((m, k) => ({ outletId: (devices[k] as Device).outletId, monitorId: m.id, mn: m.mn, kind: m.kind })));
  const validFrom = new Date(now.getTime() - 365 * DAY);
  const permitOf = new Map(permits.map((p) => [p.enterpriseId, p.id]));
  const limitRows: (typeof sourcePermitLimits.$inferInsert)[] = [];
  const seenLimit = new Set<string>();
  devices.forEach((d) => {
    const enterpriseId = (enterprises[d.enterpriseIndex] as (typeof enterprises)[number]).id;
    for (const spec of d.limits) {
      const key = `${d.outletId}:${spec.factor}`;
      if (seenLimit.has(key)) continue;
      seenLimit.add(key);
      limitRows.push({
        permitId: permitOf.get(enterpriseId) as number,
        outletId: d.outletId,
        factor: spec.factor,
        upper: spec.upper ?? null,
        lower: spec.lower ?? null,
        unit: spec.unit,
        basis: d.kind === 'FLUE_GAS_OUTLET' ? 'CONVERTED' : 'RAW',
        standard: spec.standard,
        validFrom,
      });
    }
  });
  await db.insert(sourcePermitLimits).values(limitRows);
  // The standards' limits go to the core once, as defaults of each monitor kind; a permit that departs
  // from them (the sewage plants' GB 18918) is set on its monitors. The permit rows above list all.
  await db.transaction(async (tx) => {
    const set = (target: { monitorId: number } | { monitorKind: MonitorKind }, spec: LimitSpec, basis: 'RAW' | 'CONVERTED') =>
      Promise.all(
        LIMIT_PERIODS.map((period) =>
          monitoring.setLimit(
            { ...target, factor: spec.factor, period, basis, upper: spec.upper ?? null, lower: spec.lower ?? null, standard: spec.standard, validFrom },
            tx,
          ),
        ),
      );
    const defaults: [MonitorKind, readonly LimitSpec[], 'RAW' | 'CONVERTED'][] = [
      ['WASTEWATER_OUTLET', WASTEWATER_LIMITS, 'RAW'],
      ['FLUE_GAS_OUTLET', FLUE_GAS_LIMITS, 'CONVERTED'],
      ['HEAVY_METAL_ANALYSER', HEAVY_METAL_LIMITS, 'RAW'],
    ];
    for (const [kind, specs, basis] of defaults) for (const spec of specs) await set({ monitorKind: kind }, spec, basis);
    for (const [k, d] of devices.entries()) {
      if (d.limits !== SEWAGE_LIMITS) continue;
      for (const spec of d.limits) await set({ monitorId: (monitors[k] as Monitor).id }, spec, 'RAW');
    }
  });
  await db.insert(sourceFacilities).values(
    devices
      .filter((d) => d.kind !== 'HEAVY_METAL_ANALYSER')
      .map((d) => ({
        enterpriseId: (enterprises[d.enterpriseIndex] as (typeof enterprises)[number]).id,
        outletId: d.outletId,
        name: d.kind === 'FLUE_GAS_OUTLET' ? '低氮燃烧及布袋除尘装置' : kinds[d.enterpriseIndex] === 'plating' ? '含铬废水还原沉淀处理站' : '污水处理站',
        process: d.kind === 'FLUE_GAS_OUTLET' ? '低氮燃烧+布袋除尘' : 'A/O+混凝沉淀',
        monitorId: (monitors[devices.indexOf(d)] as { id: number }).id,
        deviceCode: 'SB1',
      })),
  );
  const wasteRows: (typeof sourceHazardousWaste.$inferInsert)[] = [];
  const riskRows: (typeof sourceRiskSources.$inferInsert)[] = [];
  enterprises.forEach((e, i) => {
    const industry = INDUSTRIES[kinds[i] as string] as Industry;
    if (industry.waste) {
      for (let q = 1; q <= 4; q += 1) {
        wasteRows.push({
          enterpriseId: e.id,
          wasteCode: industry.waste.code,
          name: industry.waste.name,
          quantityTonnes: Math.round(random() * 200) / 10,
          disposer: '四川省危险废物处置中心',
          recordedAt: new Date(now.getTime() - q * 90 * DAY),
        });
      }
    }
    if (industry.risk)
      riskRows.push({
        enterpriseId: e.id,
        name: industry.risk.name,
        substance: industry.risk.substance,
        quantityTonnes: Math.round(random() * 500) / 10,
        riskLevel: i < 6 ? 'LARGER' : 'GENERAL',
      });
  });
  await db.insert(sourceHazardousWaste).values(wasteRows);
  await db.insert(sourceRiskSources).values(riskRows);
  await db.insert(sourceDocuments).values(
    enterprises.flatMap((e, i) => [
      {
        enterpriseId: e.id,
        title: `${e.name}环境影响报告表批复`,
        kind: 'EIA_APPROVAL',
        url: `https://sthj.chengdu.gov.cn/eia/${e.uscc}.pdf`,
        issuedAt: new Date(Date.UTC(2012 + (i % 8), 3, 1)),
      },
      {
        enterpriseId: e.id,
        title: `${e.name}突发环境事件应急预案`,
        kind: 'EMERGENCY_PLAN',
        url: `https://sthj.chengdu.gov.cn/plan/${e.uscc}.pdf`,
        issuedAt: new Date(Date.UTC(2019 + (i % 4), 6, 1)),
      },
    ]),
  );
  const wastewaterOutlet = new Map(outlets.filter((o) => o.kind === 'WASTEWATER').map((o) => [o.enterpriseId, o.id]));
  // Each sampler is driven by its outlet's wastewater logger, which the simulator plays: a retention sends it 3015.
  await db.insert(sourceSamplers).values(
    enterprises.slice(0, SAMPLER_ENTERPRISES).map((e, i) => ({
      enterpriseId: e.id,
      outletId: wastewaterOutlet.get(e.id) as number,
      code: `LY510112${String(i + 1).padStart(3, '0')}`,
      bottles: 24,
      deviceMn: demoSourceMn(i, 'W'),
    })),
  );
  await seedVideo(hub, random, enterprises, villages);
  await seedEnforcement(hub, random, enterprises);
}

async function seedVideo(
  hub: HubRuntime,
  random: () => number,
  enterprises: readonly (typeof sourceEnterprises.$inferSelect)[],
  villages: readonly DemoCell[],
): Promise<void> {
  const siteRows: (typeof sourceVideoSites.$inferInsert)[] = [];
  enterprises.slice(0, 50).forEach((e, i) => {
    siteRows.push({
      code: `VS-E${String(i + 1).padStart(3, '0')}`,
      name: `${e.name}厂区`,
      kind: 'ENTERPRISE',
      enterpriseId: e.id,
      longitude: e.longitude as number,
      latitude: e.latitude as number,
      cellCode: e.cellCode,
    });
  });
  for (let k = 0; k < 17; k += 1) {
    const cell = villages[(k * 53 + 11) % villages.length] as DemoCell;
    siteRows.push({
      code: `VS-K${String(k + 1).padStart(3, '0')}`,
      name: `${cell.name}重点区域`,
      kind: 'KEY_AREA',
      longitude: cell.longitude,
      latitude: cell.latitude,
      cellCode: cell.code,
    });
  }
  for (let k = 0; k < 8; k += 1) {
    const cell = villages[(k * 17 + 5) % villages.length] as DemoCell;
    siteRows.push({
      code: `VS-W${String(k + 1).padStart(3, '0')}`,
      name: `${k < 4 ? '东风渠' : '龙泉湖'}饮用水水源地${(k % 4) + 1}号点`,
      kind: 'DRINKING_WATER_SOURCE',
      longitude: cell.longitude,
      latitude: cell.latitude,
      cellCode: cell.code,
    });
  }
  const sites = await hub.db.orm.insert(sourceVideoSites).values(siteRows).returning();
  const cameraRows: (typeof sourceCameras.$inferInsert)[] = [];
  const views = ['排放口', '污水处理设施', '危废暂存间', '厂区全景'];
  sites.forEach((site, s) => {
    const count = site.kind === 'ENTERPRISE' ? 4 : site.kind === 'KEY_AREA' ? (s < 52 ? 3 : 2) : 3;
    for (let c = 0; c < count; c += 1) {
      const offline = random() < 0.04;
      cameraRows.push({
        code: `${site.code}-C${c + 1}`,
        siteId: site.id,
        name: site.kind === 'ENTERPRISE' ? `${views[c]}摄像机` : `${site.name}摄像机${c + 1}`,
        streamUrl: `rtsp://10.51.${Math.floor(s / 250) + 1}.${(s % 250) + 1}:554/Streaming/Channels/${c + 1}01`,
        status: offline ? 'OFFLINE' : 'ONLINE',
        statusChangedAt: hub.now(),
      });
    }
  });
  await hub.db.orm.insert(sourceCameras).values(cameraRows);
}

async function seedEnforcement(hub: HubRuntime, random: () => number, enterprises: readonly (typeof sourceEnterprises.$inferSelect)[]): Promise<void> {
  const now = hub.now().getTime();
  const inspectors = ['王建国', '李娜', '张伟', '陈静', '刘洋'];
  const inspectionRows = enterprises.slice(0, 40).map((e, i) => ({
    enterpriseId: e.id,
    inspectedAt: new Date(now - (50 + i * 3) * DAY),
    inspector: pick(random, inspectors),
    result: i % 5 === 0 ? 'ISSUES_FOUND' : 'COMPLIANT',
    findings: i % 5 === 0 ? '污染治理设施未正常运行，危废暂存间标识不全' : '生产正常，治理设施运行正常',
    createdBy: 'seed',
  }));
  const inspections = await hub.db.orm.insert(sourceInspections).values(inspectionRows).returning();
  const flagged = inspections.filter((inspection) => inspection.result === 'ISSUES_FOUND');
  await hub.db.orm.insert(sourceCases).values(
    flagged.map((inspection, k) => {
      const decided = k < 6;
      const closed = k < 3;
      return {
        enterpriseId: inspection.enterpriseId,
        inspectionId: inspection.id,
        caseNumber: `龙环罚〔${new Date(now).getUTCFullYear()}〕${k + 1}号`,
        findings: inspection.findings ?? '',
        decision: decided ? '责令改正违法行为，处以罚款' : null,
        penaltyYuan: decided ? 20_000 + k * 15_000 : null,
        status: closed ? 'CLOSED' : decided ? 'DECIDED' : 'OPEN',
        published: k < 4,
        openedAt: new Date(inspection.inspectedAt.getTime() + DAY),
        decidedAt: decided ? new Date(inspection.inspectedAt.getTime() + 20 * DAY) : null,
        closedAt: closed ? new Date(inspection.inspectedAt.getTime() + 40 * DAY) : null,
        publishedAt: k < 4 ? new Date(inspection.inspectedAt.getTime() + 21 * DAY) : null,
      };
    }),
  );
}
