import { createViewer, type Viewer } from '../../../src/auth/viewer';
import { demoDevicePassword } from '../../../src/demo/devices';
import { monitoringServiceRef, type ReadingInput } from '../../../src/monitoring/public';
import { airServiceRef } from '../../../modules/air/public';
import { gridServiceRef } from '../../../modules/grid/public';
import { sourceServiceRef } from '../../../modules/source/public';
import { waterServiceRef } from '../../../modules/water/public';
import { startTestHub, type EngineName, type TestHub } from '../../support/hub';
import { standardGrid } from '../grid/support';
import { uscc } from '../source/support';

export const HOUR = 3_600_000;
export const KEY_USCC = uscc(501);
export const MINOR_USCC = uscc(502);
export const STAFF_PHONE = '13912345678';
export const STREAM_URL = 'rtsp://10.9.8.7:554/Streaming/Channels/101';
export const AIR_CODE = '9001';

const ADMIN: Viewer = createViewer({ subject: 'admin-1', roles: ['admin'], name: '管理员' });

export interface DisclosureHub {
  t: TestHub;
  /** the hour start the fixture's readings count back from */
  hourNow: number;
  admin: string;
}

/**
 * A hub with every module disclosure reads, and a small district: one air station with a day of
 * readings; a river source (target II) with a class II station and a class III one; a city-
 * controlled enterprise with a wastewater outlet (COD limit 100, two exceeding hours out of 48), a
 * camera and two decided cases of which one is published; a district-key enterprise; a staff
 * member with a phone number.
 */
export async function startDisclosureHub(engine: EngineName): Promise<DisclosureHub> {
  const t = await startTestHub({ engine, env: { HUB_MODULES: 'grid,source,air,water,disclosure' } });
  const admin = await t.token({ roles: ['admin'], sub: 'admin-1' });
  await standardGrid(t, admin).build();
  const services = t.hub.services;
  const hourNow = Math.floor(Date.now() / HOUR) * HOUR;
  const at = (k: number) => new Date(hourNow - k * HOUR);
  const readings: ReadingInput[] = [];

  await services.get(gridServiceRef).staff.create({ name: '张协管', role: 'ASSISTANT', phone: STAFF_PHONE, subject: 'asst-phone' });

  const station = await services
    .get(airServiceRef)
    .createStation({ code: AIR_CODE, name: '公开测试站', level: 'DISTRICT', longitude: 104.2, latitude: 30.5, devicePassword: '123456' });
  for (let k = 1; k <= 30; k += 1) {
    const values: Record<string, number> = { a21026: 10, a21004: 30, a21005: 0.8, a05024: 60, a34002: 90, a34004: 60 };
    for (const [factor, value] of Object.entries(values)) readings.push({ mn: station.mn, factor, interval: 'HOUR', time: at(k), value, flag: 'N' });
  }

  const water = services.get(waterServiceRef);
  await water.createWaterSource({ code: 'P-RIV', name: '公开测试水源', waterbody: 'RIVER', protectionZone: 'FIRST' });
  await water.createWaterStation({ code: 'P-RIV-01', name: '取水口站', sourceCode: 'P-RIV', cellCode: 'G01001002', mn: 'PWQ0001', devicePassword: '123456' });
  await water.createWaterStation({ code: 'P-RIV-02', name: '下游站', sourceCode: 'P-RIV', cellCode: 'G01001002', mn: 'PWQ0002', devicePassword: '123456' });
  for (let k = 1; k <= 50; k += 1) {
    for (const [mn, codMn] of [
      ['PWQ0001', 3.0],
      ['PWQ0002', 5.0],
    ] as const) {
      const values: Record<string, number> = { w01001: 7.5, w01010: 18, w21001: 1.6, w01019: codMn, w01009: 7.0, w21003: 0.3, w21011: 0.08 };
      for (const [factor, value] of Object.entries(values)) readings.push({ mn, factor, interval: 'HOUR', time: at(k), value, flag: 'N' });
    }
  }

  const source = services.get(sourceServiceRef);
  await source.enterprises.create({ uscc: KEY_USCC, name: '公开重点企业', industry: '化学原料制造', controlLevel: 'CITY', cellCode: 'G01001001' });
  await source.enterprises.create({ uscc: MINOR_USCC, name: '区级企业', industry: '食品制造', controlLevel: 'DISTRICT_KEY', cellCode: 'G01001001' });
  const permit = await source.registry.createPermit({
    enterpriseUscc: KEY_USCC,
    number: `${KEY_USCC}001P`,
    validFrom: new Date('2024-01-01T00:00:00Z'),
    validTo: new Date('2036-01-01T00:00:00Z'),
  });
  await source.registry.createOutlet({
    enterpriseUscc: KEY_USCC,
    code: 'DW001',
    name: '废水总排口',
    kind: 'WASTEWATER',
    monitors: [{ mn: 'PUBW0001', password: demoDevicePassword('PUBW0001') }],
  });
  await source.registry.setPermitLimit({
    permitNumber: permit.number,
    outletCode: 'DW001',
    factor: 'w01018',
    upper: 100,
    validFrom: new Date('2024-01-01T00:00:00Z'),
  });
  for (let k = 1; k <= 48; k += 1) {
    readings.push({ mn: 'PUBW0001', factor: 'w01018', interval: 'HOUR', time: at(k), value: k === 30 || k === 31 ? 150 : 40, flag: 'N' });
    readings.push({ mn: 'PUBW0001', factor: 'w01001', interval: 'HOUR', time: at(k), value: 7.2, flag: 'N' });
  }
  await source.video.createSite({ code: 'PUB-SITE', name: '企业视频点', kind: 'ENTERPRISE', enterpriseUscc: KEY_USCC, longitude: 104.2, latitude: 30.5 });
  await source.video.createCamera({ code: 'PUB-CAM', siteCode: 'PUB-SITE', name: '排口摄像机', streamUrl: STREAM_URL });

  const published = await source.enforcement.openCase(ADMIN, { enterpriseUscc: KEY_USCC, caseNumber: '龙环罚〔2026〕1号', findings: '内部调查笔记：超标排放' });
  await source.enforcement.decideCase(ADMIN, published.id, { decision: '罚款并责令改正', penaltyYuan: 100000 });
  await source.enforcement.publishCase(ADMIN, published.id);
  const hidden = await source.enforcement.openCase(ADMIN, { enterpriseUscc: KEY_USCC, caseNumber: '龙环罚〔2026〕2号', findings: '未公开案件的调查' });
  await source.enforcement.decideCase(ADMIN, hidden.id, { decision: '未公开的决定', penaltyYuan: 5000 });

  await services.get(monitoringServiceRef).ingest(readings);
  return { t, hourNow, admin };
}
