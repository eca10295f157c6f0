/** The live feed: newest first, a bounded number of lines, so a screen left on for days stays small. */
import type { Stream } from './api.js';
import { CAMERA_STATUS_ZH, EXCEEDANCE_KIND_ZH, INCIDENT_KIND_ZH, INCIDENT_LEVEL_ZH, SEVERITY_ZH, element, timeOf } from './labels.js';

const MAX_LINES = 120;

interface ExceedanceEvent {
  eventId: string;
  kind: string;
  occurredAt: string;
  mn: string;
  monitorName: string;
  factor: string;
  severity: string;
  value: number;
  limitUpper: number | null;
}
interface MonitorStatusEvent {
  eventId: string;
  status: string;
  occurredAt: string;
  mn: string;
  monitorName: string;
}
interface IncidentEvent {
  eventId: string;
  kind: string;
  occurredAt: string;
  title: string;
  level: string;
  summary: string;
}
interface CameraEvent {
  eventId: string;
  status: string;
  at: string;
  code: string;
  siteName: string;
}

export class Feed {
  constructor(
    private readonly list: HTMLOListElement,
    private readonly onChange: () => void,
  ) {}

  private add(
    stream: string,
    eventId: string,
    at: string,
    tag: string,
    level: 'bad' | 'warn' | 'good' | 'info',
    text: string,
    data: Record<string, string> = {},
  ): void {
    const line = element('li', undefined, {
      'data-stream': stream,
      'data-event-id': eventId,
      ...Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, v])),
    });
    line.append(element('time', timeOf(at), { datetime: at }), element('span', tag, { class: 'tag', 'data-level': level }), element('span', text));
    this.list.prepend(line);
    while (this.list.childElementCount > MAX_LINES) this.list.lastElementChild?.remove();
    this.onChange();
  }

  streams(modules: readonly string[]): Stream<{ eventId: string }>[] {
    const streams: Stream<{ eventId: string }>[] = [
      {
        field: 'exceedanceEvents',
        document:
          'subscription FeedExceedances($since: ID) { exceedanceEvents(since: $since) { eventId kind occurredAt mn monitorName factor severity value limitUpper } }',
        onEvent: (event) => {
          const e = event as ExceedanceEvent;
          if (e.kind === 'PEAK_UPDATED') return;
          const level = e.kind === 'CLOSED' ? 'good' : e.severity === 'EXCEEDANCE' ? 'bad' : 'warn';
          const limit = e.limitUpper === null ? '' : `（限值 ${e.limitUpper}）`;
          this.add(
            'exceedance',
            e.eventId,
            e.occurredAt,
            `${SEVERITY_ZH[e.severity] ?? e.severity}${EXCEEDANCE_KIND_ZH[e.kind] ?? e.kind}`,
            level,
            `${e.monitorName} ${e.factor} ${e.value}${limit}`,
            { mn: e.mn, kind: e.kind },
          );
        },
      },
      {
        field: 'monitorStatus',
        document: 'subscription FeedMonitorStatus($since: ID) { monitorStatus(since: $since) { eventId status occurredAt mn monitorName } }',
        onEvent: (event) => {
          const e = event as MonitorStatusEvent;
          const offline = e.status === 'OFFLINE';
          this.add('monitor', e.eventId, e.occurredAt, offline ? '设备离线' : '设备恢复', offline ? 'warn' : 'good', e.monitorName, { mn: e.mn });
        },
      },
    ];
    if (modules.includes('emergency')) {
      streams.push({
        field: 'incidentUpdates',
        document: 'subscription FeedIncidents($since: ID) { incidentUpdates(since: $since) { eventId kind occurredAt title level summary } }',
        onEvent: (event) => {
          const e = event as IncidentEvent;
          this.add(
            'incident',
            e.eventId,
            e.occurredAt,
            INCIDENT_KIND_ZH[e.kind] ?? e.kind,
            'bad',
            `${e.title}（${INCIDENT_LEVEL_ZH[e.level] ?? e.level}）${e.summary}`,
          );
        },
      });
    }
    if (modules.includes('source')) {
      streams.push({
        field: 'cameraStatusEvents',
        document: 'subscription FeedCameras($since: ID) { cameraStatusEvents(since: $since) { eventId status at code siteName } }',
        onEvent: (event) => {
          const e = event as CameraEvent;
          this.add(
            'camera',
            e.eventId,
            e.at,
            `视频${CAMERA_STATUS_ZH[e.status] ?? e.status}`,
            e.status === 'OFFLINE' ? 'warn' : 'good',
            `${e.siteName} ${e.code}`,
          );
        },
      });
    }
    return streams;
  }
}
