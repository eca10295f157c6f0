import { createViewer, type Viewer } from '../../src/auth/viewer';
import type { HubRuntime } from '../../src/modules';
import { demoTownCells } from '../../src/demo/district';
import { oaServiceRef } from './public';
import { oaPeople, oaSupervisedTasks } from './tables';
import { DISTRICT_BUREAU, END, type OaRole, type WorkflowStep } from './service/types';
import { encodeGlobalId } from './service/validate';

const HOUR = 3_600_000;
const two = (n: number): string => String(n).padStart(2, '0');

/** The bureau's OA staff; subjects officer-NNN. Town officers share the grid's subjects. */
const OFFICERS: readonly { subject: string; name: string; title: string; roles: OaRole[] }[] = [
  { subject: 'officer-001', name: '刘志强', title: '执法大队 承办人', roles: ['district'] },
  { subject: 'officer-002', name: '陈晓燕', title: '执法大队 承办人', roles: ['district'] },
  { subject: 'officer-003', name: '张国华', title: '执法大队 大队长', roles: ['district'] },
  { subject: 'officer-004', name: '李文静', title: '法规科 科长', roles: ['district'] },
  { subject: 'officer-005', name: '周明', title: '法规科 科员', roles: ['district'] },
  { subject: 'officer-006', name: '黄建军', title: '副局长（分管执法）', roles: ['district'] },
  { subject: 'officer-007', name: '吴海涛', title: '局长', roles: ['district'] },
  { subject: 'officer-008', name: '郑丽', title: '副局长', roles: ['district'] },
  { subject: 'officer-009', name: '孙伟', title: '环评与许可科 科长', roles: ['district'] },
  { subject: 'officer-010', name: '马超', title: '监测站 站长', roles: ['district'] },
  { subject: 'officer-011', name: '何静', title: '办公室 主任', roles: ['district'] },
  { subject: 'oa-admin', name: '系统管理员', title: '信息中心', roles: ['admin'] },
];

const step = (id: string, name: string, subjects: string[], hours: number, extra: Partial<WorkflowStep> = {}): WorkflowStep => ({
  id,
  name,
  mode: 'ANY_ONE',
  roles: [],
  subjects,
  timeLimitHours: hours,
  branches: [],
  next: null,
  ...extra,
});

/** 行政处罚案件审批: 承办人 -> 科室负责人 -> 法制审核 -> 分管领导, and 集体讨论 for penalties of 100,000 yuan or more. */
export const ENFORCEMENT_STEPS: WorkflowStep[] = [
  step('handler', '承办人', ['officer-001', 'officer-002'], 24),
  step('section', '科室负责人', ['officer-003'], 24),
  step('legal', '法制审核', ['officer-004', 'officer-005'], 48),
  step('leader', '分管领导', ['officer-006'], 24, {
    branches: [{ when: { field: 'penaltyAmount', operator: 'GTE', value: 100_000 }, next: 'collective' }],
    next: END,
  }),
  step('collective', '集体讨论', ['officer-006', 'officer-007', 'officer-008'], 72, { mode: 'COUNTERSIGN' }),
];

export const PERMIT_STEPS: WorkflowStep[] = [
  step('intake', '受理', ['officer-009'], 24),
  step('technical', '技术审查', ['officer-009', 'officer-010'], 120, { mode: 'COUNTERSIGN' }),
  step('approval', '审批', ['officer-008'], 48),
];

export const ISSUING_STEPS: WorkflowStep[] = [
  step('draft', '拟稿', ['officer-001', 'officer-002', 'officer-011'], 24),
  step('review', '核稿', ['officer-011'], 24),
  step('countersign', '会签', ['officer-003', 'officer-004', 'officer-009'], 48, { mode: 'COUNTERSIGN' }),
  step('sign', '签发', ['officer-007'], 24),
];

const viewer = (subject: string, roles: OaRole[] = ['district']): Viewer => createViewer({ subject, roles });

/**
 * OA's part of the demo district: the people, the three workflows the bureau runs, documents and
 * approvals in flight at different steps, notices to the towns and supervised tasks (one overdue).
 */
export async function seedOa(hub: HubRuntime): Promise<void> {
  const oa = hub.services.get(oaServiceRef);
  const now = hub.now();
  const towns = demoTownCells();
  await hub.db.orm
    .insert(oaPeople)
    .values([
      ...OFFICERS.map((o) => ({ subject: o.subject, name: o.name, title: o.title, organisation: DISTRICT_BUREAU, roles: o.roles })),
      ...towns.map((town, i) => ({
        subject: `town-officer-${two(i + 1)}`,
        name: `${town.name}环保办`,
        title: '环保办主任',
        organisation: town.code,
        roles: ['town'],
      })),
    ])
    .onConflictDoNothing();
  const admin = viewer('oa-admin', ['admin']);
  await oa.definitions.save(admin, {
    key: 'enforcement-case',
    name: '行政处罚案件审批',
    description: '罚款十万元以上的案件提交集体讨论',
    steps: ENFORCEMENT_STEPS,
  });
  await oa.definitions.save(admin, { key: 'permit-review', name: '排污许可审查', steps: PERMIT_STEPS });
  await oa.definitions.save(admin, { key: 'document-issuing', name: '发文审批', steps: ISSUING_STEPS });

  const act = (subject: string, instanceId: number, action: 'APPROVE' | 'COMMENT', opinion: string) =>
    oa.workflows.act(viewer(subject), { instanceId, action, opinion });

  const notice = await oa.documents.create(viewer('officer-002'), {
    kind: 'OUTGOING',
    title: '关于开展2026年大气污染防治攻坚行动的通知',
    senderOrganisation: '龙泉驿区生态环境局',
    recipientOrganisation: '各街道、镇环保办',
    securityLevel: 'INTERNAL',
    urgency: 'URGENT',
    body: '各街道、镇：为持续改善区域环境空气质量，现就开展2026年大气污染防治攻坚行动有关事项通知如下……',
  });
  const issuing = await oa.workflows.start(viewer('officer-002'), { definitionKey: 'document-issuing', title: notice.title, documentId: notice.id });
  await act('officer-002', issuing.id, 'APPROVE', '拟稿完成，请核稿。');
  await act('officer-011', issuing.id, 'APPROVE', '文字已核。');
  await act('officer-004', issuing.id, 'APPROVE', '法规科无意见。');

  await oa.documents.create(viewer('officer-011'), {
    kind: 'INCOMING',
    number: '成环发〔2026〕37号',
    title: '关于做好重点排污单位自动监控数据联网工作的通知',
    senderOrganisation: '成都市生态环境局',
    recipientOrganisation: '龙泉驿区生态环境局',
    securityLevel: 'PUBLIC',
    urgency: 'EXTRA_URGENT',
    body: '各区（市）县生态环境局：请于规定时限内完成辖区重点排污单位自动监控设备与市级平台的联网……',
  });

  const decision = await oa.documents.create(viewer('officer-001'), {
    kind: 'OUTGOING',
    title: '行政处罚决定书（某化工企业超标排放大气污染物案）',
    senderOrganisation: '龙泉驿区生态环境局',
    recipientOrganisation: '当事企业',
    securityLevel: 'CONFIDENTIAL',
    urgency: 'NORMAL',
    body: '经查，当事人于2026年排放的大气污染物浓度超过国家规定的排放标准，拟处罚款人民币壹拾伍万元整。',
  });
  const bigCase = await oa.workflows.start(viewer('officer-001'), {
    definitionKey: 'enforcement-case',
    title: '某化工企业超标排放案',
    documentId: decision.id,
    fields: { penaltyAmount: 150_000 },
  });
  await act('officer-001', bigCase.id, 'APPROVE', '事实清楚，证据确凿，拟处罚款15万元。');
  await act('officer-003', bigCase.id, 'APPROVE', '同意承办人意见。');
  await act('officer-005', bigCase.id, 'APPROVE', '程序合法，适用法律正确。');

  const smallCase = await oa.workflows.start(viewer('officer-002'), {
    definitionKey: 'enforcement-case',
    title: '某家具厂未批先建案',
    subjectGlobalId: encodeGlobalId('EnforcementCase', 'LQ-2026-018'),
    fields: { penaltyAmount: 30_000 },
  });
  await act('officer-002', smallCase.id, 'APPROVE', '拟责令改正并处罚款3万元。');

  await oa.workflows.start(viewer('officer-009'), {
    definitionKey: 'permit-review',
    title: '排污许可证申请（某电子科技有限公司）',
    subjectGlobalId: encodeGlobalId('Enterprise', '91510112MA6C4D2X1K'),
  });

  const townCodes = towns.map((t) => t.code);
  await oa.notices.publish(viewer('officer-011'), {
    title: '关于开展汛期环境安全隐患排查的通知',
    body: '请各街道、镇环保办于本月底前完成辖区涉水企业环境安全隐患排查，并报送排查台账。',
    organisations: townCodes,
  });
  await oa.notices.publish(viewer('officer-003'), { title: '网格员巡查记录上传规范', body: '巡查照片须带时间水印和定位信息。', roles: ['assistant'] });

  const [first, second] = towns;
  if (first && second) {
    await oa.supervision.create(viewer('officer-006'), {
      title: '中央环保督察交办件整改（餐饮油烟扰民）',
      ownerOrganisation: first.code,
      deadline: new Date(now.getTime() + 10 * 24 * HOUR),
    });
    // one already overdue, so the escalation timer has something to raise
    await hub.db.orm.insert(oaSupervisedTasks).values({
      title: '信访件办理：工地扬尘投诉',
      ownerOrganisation: second.code,
      supervisor: 'officer-006',
      deadline: new Date(now.getTime() - 2 * 24 * HOUR),
      status: 'IN_PROGRESS',
      progress: 40,
      createdAt: new Date(now.getTime() - 9 * 24 * HOUR),
    });
  }
}
