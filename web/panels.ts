/** The panels around the map: each reads the hub's queries and draws with ECharts or a table. */
import * as echarts from 'echarts';
import { query } from './api.js';
import { INCIDENT_LEVEL_ZH, INCIDENT_STATUS_ZH, WATER_CLASS_ZH, dateTimeOf, element } from './labels.js';
import type { MapPoint, PointKind } from './map.js';

const TEXT = { color: '#d6e6ff' };
const AXIS = { axisLine: { lineStyle: { color: '#3b6a98' } }, axisLabel: { color: '#9fb8d8' }, splitLine: { lineStyle: { color: '#173a61' } } };

interface StationQuality {
  station: { code: string; name: string };
  quality: { aqi: number | null; category: { nameZh: string } | null; color: string | null } | null;
}
interface WaterRow {
  sourceName: string;
  stationName: string;
  waterClass: string | null;
  targetClass: string;
  meetsTarget: boolean | null;
}
interface Incident {
  title: string;
  level: string;
  status: string;
  reportDeadline: string | null;
}
export interface Snapshot {
  dutySummary: {
    monitors: { online: number; offline: number; unknown: number };
    openExceedances: { warning: number; exceedance: number };
    openExceedancesByTown?: { code: string; name: string; warning: number; exceedance: number }[];
    gridTasksThisMonth?: { dispatched: number; verified: number; overdue: number; rate: number | null };
    cameras?: { online: number; offline: number; unknown: number };
  };
  dutyMap: Partial<Record<PointKind, MapPoint[]>>;
  latestAirQuality?: StationQuality[];
  publicWaterQuality?: WaterRow[];
  emergencyIncidents?: { totalCount: number; edges: { node: Incident }[] };
}

const POINT = 'id code name longitude latitude state openExceedances';

/** One request for every panel and the map, built from the modules this hub runs. */
export function snapshotDocument(modules: readonly string[]): string {
  const on = (name: string, text: string): string => (modules.includes(name) ? text : '');
  return `query DutyScreen {
    dutySummary {
      monitors { online offline unknown }
      openExceedances { warning exceedance }
      ${on('grid', 'openExceedancesByTown { code name warning exceedance } gridTasksThisMonth { dispatched verified overdue rate }')}
      ${on('source', 'cameras { online offline unknown }')}
    }
    dutyMap {
      generatedAt
      ${on('source', `enterprises { ${POINT} } videoSites { ${POINT} }`)}
      ${on('air', `airStations { ${POINT} }`)}
      ${on('water', `waterStations { ${POINT} }`)}
    }
    ${on('air', 'latestAirQuality { station { code name } quality { aqi color category { nameZh } } }')}
    ${on('water', 'publicWaterQuality(granularity: HOUR) { sourceName stationName waterClass targetClass meetsTarget }')}
    ${on('emergency', 'emergencyIncidents(first: 8, filter: { status: [REPORTED, VERIFIED, RESPONDING, CONTAINED] }) { totalCount edges { node { title level status reportDeadline } } }')}
  }`;
}

export class Panels {
  private readonly charts = new Map<string, echarts.ECharts>();

  private chart(id: string): echarts.ECharts {
    let chart = this.charts.get(id);
    if (!chart) {
      chart = echarts.init(document.getElementById(id) as HTMLElement);
      this.charts.set(id, chart);
    }
    return chart;
  }

  resize(): void {
    for (const chart of this.charts.values()) chart.resize();
  }

  show(snapshot: Snapshot): void {
    const summary = snapshot.dutySummary;
    const set = (id: string, value: number | undefined): void => {
      (document.getElementById(id) as HTMLElement).textContent = value === undefined ? '–' : String(value);
    };
    set('count-exceedance', summary.openExceedances.exceedance);
    set('count-warning', summary.openExceedances.warning);
    set('count-offline', summary.monitors.offline);
    set('count-incidents', snapshot.emergencyIncidents?.totalCount);
    this.showAir(snapshot.latestAirQuality ?? []);
    this.showWater(snapshot.publicWaterQuality ?? []);
    this.showTowns(summary.openExceedancesByTown ?? []);
    this.showTasks(summary.gridTasksThisMonth);
    this.showCameras(summary.cameras);
    this.showIncidents(snapshot.emergencyIncidents?.edges.map((edge) => edge.node) ?? []);
  }

  private showAir(stations: readonly StationQuality[]): void {
    const ranked = stations.filter((s) => s.quality?.aqi != null).sort((a, b) => (b.quality?.aqi ?? 0) - (a.quality?.aqi ?? 0));
    this.chart('air-ranking').setOption({
      grid: { left: 110, right: 30, top: 6, bottom: 20 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', ...AXIS },
      yAxis: { type: 'category', inverse: true, data: ranked.map((s) => s.station.name), ...AXIS },
      series: [
        {
          type: 'bar',
          data: ranked.map((s) => ({ value: s.quality?.aqi, itemStyle: { color: s.quality?.color ?? '#2ecc71' } })),
          label: {
            show: true,
            position: 'right',
            ...TEXT,
            formatter: (p: { dataIndex: number }) => `${ranked[p.dataIndex]?.quality?.aqi ?? ''} ${ranked[p.dataIndex]?.quality?.category?.nameZh ?? ''}`,
          },
        },
      ],
    });
  }

  /** The day's hourly AQI of each station: one request of aliased fields, refreshed with the hour. */
  async showAirTrend(token: string, stations: readonly { code: string; name: string }[]): Promise<void> {
    if (stations.length === 0) return;
    const dayStart = new Date(`${new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())}T00:00:00+08:00`);
    const fields = stations
      .slice(0, 20)
      .map(
        (s, i) =>
          `s${i}: airQuality(station: ${JSON.stringify(s.code)}, from: $from, to: $to, granularity: HOUR) { ... on QueryAirQualitySuccess { data { time aqi } } }`,
      )
      .join('\n');
    const data = await query<Record<string, { data?: { time: string; aqi: number | null }[] }>>(
      token,
      `query AirTrend($from: DateTime!, $to: DateTime!) { ${fields} }`,
      {
        from: dayStart.toISOString(),
        to: new Date().toISOString(),
      },
    );
    const hours = Array.from({ length: 24 }, (_v, h) => `${h}时`);
    this.chart('air-trend').setOption({
      grid: { left: 36, right: 10, top: 24, bottom: 20 },
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', textStyle: { color: '#9fb8d8' }, top: 0 },
      xAxis: { type: 'category', data: hours, ...AXIS },
      yAxis: { type: 'value', ...AXIS },
      series: stations.slice(0, 20).map((s, i) => {
        const points = Array<number | null>(24).fill(null);
        for (const point of data[`s${i}`]?.data ?? []) {
          const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hour12: false }).format(new Date(point.time)));
          points[hour % 24] = point.aqi;
        }
        return { type: 'line', name: s.name, data: points, showSymbol: false, connectNulls: false };
      }),
    });
  }

  private showWater(rows: readonly WaterRow[]): void {
    const body = document.querySelector('#water tbody') as HTMLElement;
    body.replaceChildren(
      ...rows.map((row) => {
        const tr = element('tr');
        const met = row.meetsTarget;
        tr.append(
          element('td', row.sourceName),
          element('td', row.stationName),
          element('td', row.waterClass ? (WATER_CLASS_ZH[row.waterClass] ?? row.waterClass) : '—'),
          element('td', WATER_CLASS_ZH[row.targetClass] ?? row.targetClass),
          element('td', met === null ? '—' : met ? '达标' : '超标', { class: met === false ? 'bad' : met ? 'good' : '' }),
        );
        return tr;
      }),
    );
  }

  private showTowns(towns: readonly { name: string; warning: number; exceedance: number }[]): void {
    this.chart('towns').setOption({
      grid: { left: 36, right: 10, top: 24, bottom: 46 },
      tooltip: { trigger: 'axis' },
      legend: { textStyle: { color: '#9fb8d8' }, top: 0 },
      xAxis: { type: 'category', data: towns.map((t) => t.name), ...AXIS, axisLabel: { color: '#9fb8d8', rotate: 40, fontSize: 11 } },
      yAxis: { type: 'value', minInterval: 1, ...AXIS },
      series: [
        { type: 'bar', name: '超标', stack: 'open', data: towns.map((t) => t.exceedance), itemStyle: { color: '#e74c3c' } },
        { type: 'bar', name: '预警', stack: 'open', data: towns.map((t) => t.warning), itemStyle: { color: '#f1c40f' } },
      ],
    });
  }

  private showTasks(tasks: Snapshot['dutySummary']['gridTasksThisMonth']): void {
    const rate = tasks?.rate == null ? 0 : Math.round(tasks.rate * 1000) / 10;
    this.chart('tasks').setOption({
      series: [
        {
          type: 'gauge',
          min: 0,
          max: 100,
          progress: { show: true, width: 10 },
          axisLine: { lineStyle: { width: 10 } },
          axisTick: { show: false },
          splitLine: { show: false },
          axisLabel: { show: false },
          pointer: { show: false },
          title: { offsetCenter: [0, '60%'], ...TEXT, fontSize: 12 },
          detail: { valueAnimation: false, formatter: '{value}%', ...TEXT, fontSize: 20, offsetCenter: [0, '10%'] },
          data: [{ value: rate, name: tasks ? `完成 ${tasks.verified}/${tasks.dispatched} · 逾期 ${tasks.overdue}` : '' }],
        },
      ],
    });
  }

  private showCameras(cameras: Snapshot['dutySummary']['cameras']): void {
    this.chart('cameras').setOption({
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'pie',
          radius: ['45%', '70%'],
          label: { ...TEXT, fontSize: 11, formatter: '{b}\n{c}' },
          data: [
            { name: '在线', value: cameras?.online ?? 0, itemStyle: { color: '#2ecc71' } },
            { name: '离线', value: cameras?.offline ?? 0, itemStyle: { color: '#7f8c8d' } },
            { name: '未知', value: cameras?.unknown ?? 0, itemStyle: { color: '#34495e' } },
          ],
        },
      ],
    });
  }

  private showIncidents(incidents: readonly Incident[]): void {
    const body = document.querySelector('#incidents tbody') as HTMLElement;
    body.replaceChildren(
      ...incidents.map((incident) => {
        const tr = element('tr');
        const late = incident.reportDeadline !== null && new Date(incident.reportDeadline) < new Date();
        tr.append(
          element('td', incident.title),
          element('td', INCIDENT_LEVEL_ZH[incident.level] ?? incident.level),
          element('td', INCIDENT_STATUS_ZH[incident.status] ?? incident.status),
          element('td', dateTimeOf(incident.reportDeadline), { class: late ? 'bad' : '' }),
        );
        return tr;
      }),
    );
  }
}
