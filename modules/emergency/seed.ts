import type { HubRuntime } from '../../src/modules';
import { demoTownCells, demoVillageCells } from '../../src/demo/district';
import { pick, seededRandom } from '../../src/demo/random';
import type { IncidentCriteria, IncidentLevel } from './levels';
import { emergencyActions, emergencyIncidents, emergencyOrders, emergencyPlanSteps, emergencyPlans, emergencyResources, emergencyTimeline } from './tables';
import type { IncidentType, ResourceKind, TimelineKind } from './service/types';

const HOUR = 3_600_000;

interface DemoPlan {
  name: string;
  incidentType: IncidentType;
  level: IncidentLevel;
  summary: string;
  steps: readonly [title: string, ownerRole: string][];
}

const COMMON_START: DemoPlan['steps'] = [
  ['接报核实，30 分钟内到达现场', '区应急值班室'],
  ['判定事件等级，达到 II 级以上 2 小时内向市、省报告', '区生态环境局应急办'],
];

const PLANS: readonly DemoPlan[] = [
  {
    name: '饮用水水源地突发水污染事件应急预案',
    incidentType: 'WATER_POLLUTION',
    level: 'II',
    summary: '水源地及取水口上游污染：先保供水，再控源、截污、监测。',
    steps: [
      ...COMMON_START,
      ['通知自来水厂，评估是否关闭取水口、启用备用水源', '区水务局'],
      ['上下游加密监测，每 2 小时出具水质快报', '区环境监测站'],
      ['排查并切断污染源，设置拦截坝和吸附设施', '区生态环境执法大队'],
      ['发布公告，组织应急送水', '属地街镇'],
    ],
  },
  {
    name: '一般水污染事件应急预案',
    incidentType: 'WATER_POLLUTION',
    level: 'IV',
    summary: '河道、沟渠污染及企业超标排放引起的水污染。',
    steps: [
      ...COMMON_START,
      ['现场采样，启动企业留样比对', '区环境监测站'],
      ['责令企业停产整改，封存证据', '区生态环境执法大队'],
      ['跟踪监测至达标', '区环境监测站'],
    ],
  },
  {
    name: '大气污染突发事件应急预案',
    incidentType: 'AIR_POLLUTION',
    level: 'IV',
    summary: '企业废气事故排放、火灾烟气等。',
    steps: [...COMMON_START, ['布设下风向监测点位', '区环境监测站'], ['疏散下风向敏感人群', '属地街镇'], ['督促企业停炉、消除排放', '区生态环境执法大队']],
  },
  {
    name: '危险化学品泄漏事件应急预案',
    incidentType: 'HAZARDOUS_CHEMICALS',
    level: 'III',
    summary: '危化品生产、储存、运输泄漏及次生环境污染。',
    steps: [
      ...COMMON_START,
      ['划定警戒区，会同消防、安监处置泄漏', '区应急管理局'],
      ['消防废水收集，防止进入雨水管网和河道', '区生态环境执法大队'],
      ['大气和水体应急监测', '区环境监测站'],
      ['专家会商，评估次生污染风险', '区应急专家组'],
    ],
  },
  {
    name: '危险废物非法倾倒事件应急预案',
    incidentType: 'HAZARDOUS_WASTE',
    level: 'IV',
    summary: '危险废物非法倾倒、填埋、转移。',
    steps: [
      ...COMMON_START,
      ['封控现场，采样鉴别废物类别', '区环境监测站'],
      ['委托有资质单位清运处置', '区生态环境局固废科'],
      ['追查来源，移送公安', '区生态环境执法大队'],
    ],
  },
];

const RESOURCE_TEMPLATES: readonly { kind: ResourceKind; name: string; description: string; quantity: [number, number]; unit: string }[] = [
  { kind: 'TEAM', name: '环境应急救援队', description: '采样、围堵、吸附处置', quantity: [8, 20], unit: '人' },
  { kind: 'EQUIPMENT', name: '便携式水质多参数分析仪', description: 'COD、氨氮、重金属快速检测', quantity: [1, 4], unit: '台' },
  { kind: 'SUPPLY', name: '吸油毡', description: '水面油类吸附', quantity: [200, 800], unit: '张' },
  { kind: 'SUPPLY', name: '活性炭', description: '应急吸附', quantity: [2, 10], unit: '吨' },
  { kind: 'EQUIPMENT', name: '应急监测车', description: '大气 VOCs、SO2、NOx 走航监测', quantity: [1, 1], unit: '辆' },
];

const EXPERTS = ['水污染防治', '大气环境', '危险化学品', '固体废物', '辐射安全', '环境监测'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '周'];

function phone(random: () => number): string {
  return `1${pick(random, ['38', '39', '58', '80'])}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
}

/**
 * The demo district's emergency set-up: plans for the main incident types, resources at the towns
 * (near each town's centre) and district experts, and one past water-pollution incident with its
 * whole timeline, from the report to the close.
 */
export async function seedEmergency(hub: HubRuntime): Promise<void> {
  const random = seededRandom(20140101);
  const towns = demoTownCells();
  const orm = hub.db.orm;
  const jitter = (): number => (random() - 0.5) * 0.02;
  await orm.transaction(async (tx) => {
    const planIds: number[] = [];
    for (const plan of PLANS) {
      const [row] = await tx
        .insert(emergencyPlans)
        .values({ name: plan.name, incidentType: plan.incidentType, level: plan.level, summary: plan.summary })
        .returning({ id: emergencyPlans.id });
      const id = (row as { id: number }).id;
      planIds.push(id);
      await tx.insert(emergencyPlanSteps).values(plan.steps.map(([title, ownerRole], i) => ({ planId: id, position: i + 1, title, ownerRole })));
    }

    const resources: (typeof emergencyResources.$inferInsert)[] = [];
    towns.forEach((town, i) => {
      for (const template of [RESOURCE_TEMPLATES[i % 2 === 0 ? 0 : 1], RESOURCE_TEMPLATES[2 + (i % 3)]]) {
        if (!template) continue;
        const [low, high] = template.quantity;
        resources.push({
          kind: template.kind,
          name: `${town.name}${template.name}`,
          description: template.description,
          quantity: low + Math.floor(random() * (high - low + 1)),
          unit: template.unit,
          longitude: town.longitude + jitter(),
          latitude: town.latitude + jitter(),
          cellCode: town.code,
          contactName: `${pick(random, SURNAMES)}队长`,
          contactPhone: phone(random),
        });
      }
    });
    EXPERTS.forEach((field, i) => {
      const town = towns[i % towns.length] as (typeof towns)[number];
      resources.push({
        kind: 'EXPERT',
        name: `${pick(random, SURNAMES)}工（${field}）`,
        description: `区环境应急专家库：${field}`,
        quantity: 1,
        unit: '人',
        longitude: town.longitude + jitter(),
        latitude: town.latitude + jitter(),
        cellCode: town.code,
        contactName: null,
        contactPhone: phone(random),
      });
    });
    const insertedResources = await tx.insert(emergencyResources).values(resources).returning({ id: emergencyResources.id, name: emergencyResources.name });

    const village = demoVillageCells()[7] as ReturnType<typeof demoVillageCells>[number];
    const reportedAt = new Date(Date.UTC(2024, 5, 12, 1, 20));
    const at = (hours: number): Date => new Date(reportedAt.getTime() + hours * HOUR);
    const criteria: IncidentCriteria = {
      deaths: 0,
      poisoned: 0,
      evacuated: 0,
      economicLossYuan: 1_200_000,
      drinkingWaterIntakeCut: 'NONE',
      crossBoundary: 'NONE',
    };
    const [incidentRow] = await tx
      .insert(emergencyIncidents)
      .values({
        title: `${village.name}沟渠油污污染`,
        type: 'WATER_POLLUTION',
        description: '群众举报沟渠水面大面积油污，疑似上游企业废机油泄漏。',
        level: 'IV',
        criteria,
        warningColour: 'BLUE',
        status: 'CLOSED',
        longitude: village.longitude,
        latitude: village.latitude,
        address: `${village.name}三组灌溉渠`,
        cellCode: village.code,
        reporterSubject: 'assistant-051',
        occurredAt: at(-1),
        reportedAt,
        closedAt: at(30),
        exceedanceIds: [],
        sourceUsccs: [],
        cameraIds: [],
        updatedAt: at(30),
      })
      .returning({ id: emergencyIncidents.id });
    const incidentId = (incidentRow as { id: number }).id;
    const planId = planIds[1] as number;
    const plan = PLANS[1] as DemoPlan;
    await tx.insert(emergencyActions).values(
      plan.steps.map(([title, ownerRole], i) => ({
        incidentId,
        planId,
        position: i + 1,
        title,
        ownerRole,
        status: 'DONE',
        doneBy: 'district-officer-01',
        doneAt: at(1 + i * 4),
        createdAt: at(0.75),
      })),
    );
    const team = insertedResources[0] as { id: number; name: string };
    const felt = insertedResources[1] as { id: number; name: string };
    await tx.insert(emergencyOrders).values([
      {
        incidentId,
        resourceId: team.id,
        quantity: 10,
        instructions: '围堵油污，布设拦油索',
        issuedBy: 'district-officer-01',
        issuedAt: at(0.8),
        acknowledgedAt: at(0.85),
        arrivedAt: at(1.4),
      },
      {
        incidentId,
        resourceId: felt.id,
        quantity: 100,
        instructions: '随队送达',
        issuedBy: 'district-officer-01',
        issuedAt: at(0.8),
        acknowledgedAt: at(0.9),
        arrivedAt: at(1.5),
      },
    ]);
    const entries: [number, TimelineKind, string, string][] = [
      [0, 'REPORTED', 'assistant-051', `巡查报告：${village.name}沟渠油污污染（IV 级）`],
      [0.5, 'STATUS_CHANGED', 'district-officer-01', '核实确认：REPORTED -> VERIFIED'],
      [0.6, 'LEVEL_CHANGED', 'district-officer-01', '定级 IV -> IV（依据标准建议 IV 级），预警 BLUE：直接经济损失约 120 万元'],
      [0.7, 'STATUS_CHANGED', 'district-officer-01', '启动应急响应：VERIFIED -> RESPONDING'],
      [0.75, 'PLAN_ACTIVATED', 'district-officer-01', `启动预案：${plan.name}（${plan.steps.length} 项措施）`],
      [0.8, 'ORDER_ISSUED', 'district-officer-01', `调派 ${team.name}`],
      [0.8, 'ORDER_ISSUED', 'district-officer-01', `调派 ${felt.name}`],
      [0.85, 'ORDER_ACKNOWLEDGED', 'district-officer-01', `${team.name} 接令`],
      [1.4, 'ORDER_ARRIVED', 'district-officer-01', `${team.name} 到达现场`],
      ...plan.steps.map(([title], i): [number, TimelineKind, string, string] => [
        1 + i * 4,
        'ACTION_DONE',
        'district-officer-01',
        `完成措施 ${i + 1}：${title}`,
      ]),
      [20, 'NOTE', 'assistant-051', '下游 500 米断面石油类 0.04 mg/L，已达标'],
      [24, 'STATUS_CHANGED', 'district-officer-01', '事态得到控制：RESPONDING -> CONTAINED'],
      [30, 'STATUS_CHANGED', 'district-officer-01', '应急终止：CONTAINED -> CLOSED'],
    ];
    await tx.insert(emergencyTimeline).values(entries.map(([hours, kind, actor, summary]) => ({ incidentId, kind, summary, actor, at: at(hours) })));
  });
}
