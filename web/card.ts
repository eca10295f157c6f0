/** The card shown on a click: an enterprise's file, a station's latest values, a cell's people, a site's cameras. */
import Hls from 'hls.js';
import { query } from './api.js';
import { CAMERA_STATUS_ZH, CONTROL_LEVEL_ZH, SEVERITY_ZH, STATE_ZH, WATER_CLASS_ZH, dateTimeOf, element } from './labels.js';
import type { MapPoint, PointKind } from './map.js';

interface Camera {
  code: string;
  name: string;
  status: string;
  playUrl: string | null;
}

export class Card {
  private readonly body: HTMLElement;
  private players: { destroy(): void }[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly token: () => string,
  ) {
    this.body = root.querySelector('.body') as HTMLElement;
    (root.querySelector('.close') as HTMLElement).addEventListener('click', () => this.close());
  }

  close(): void {
    for (const player of this.players) player.destroy();
    this.players = [];
    this.body.replaceChildren();
    this.root.hidden = true;
  }

  /** Shows the card; the players of the card before were ended when this one began to load. */
  private open(title: string, rows: [string, string][], ...extra: HTMLElement[]): void {
    this.body.replaceChildren();
    const list = element('dl');
    for (const [term, value] of rows) list.append(element('dt', term), element('dd', value));
    this.body.append(element('h3', title), list, ...extra);
    this.root.hidden = false;
  }

  async showCell(code: string): Promise<void> {
    this.close();
    const { gridCell: cell } = await query<{
      gridCell: {
        name: string;
        code: string;
        level: number;
        parent: { name: string } | null;
        assistants: { name: string; phone: string | null }[];
        officers: { name: string; phone: string | null }[];
      } | null;
    }>(
      this.token(),
      'query CellCard($code: String!) { gridCell(code: $code) { name code level parent { name } assistants { name phone } officers { name phone } } }',
      { code },
    );
    if (!cell) return;
    const people = (list: { name: string; phone: string | null }[]): string => list.map((p) => `${p.name}${p.phone ? ` ${p.phone}` : ''}`).join('，') || '—';
    this.open(cell.name, [
      ['网格编码', cell.code],
      ['上级网格', cell.parent?.name ?? '—'],
      ['环保协管员', people(cell.assistants)],
      ['责任领导', people(cell.officers)],
    ]);
  }

  async showPoint(kind: PointKind, point: MapPoint): Promise<void> {
    this.close();
    if (kind === 'enterprises') return this.showEnterprise(point);
    if (kind === 'airStations') return this.showAirStation(point);
    if (kind === 'waterStations') return this.showWaterStation(point);
    return this.showVideoSite(point);
  }

  private async showEnterprise(point: MapPoint): Promise<void> {
    const data = await query<{
      enterprise: { name: string; uscc: string; industry: string; controlLevel: string; address: string | null; outlets: { name: string }[] } | null;
      exceedances: {
        edges: {
          node: { factor: string; severity: string; openedAt: string; peakValue: number; limitUpper: number | null; monitor: { name: string } | null };
        }[];
      };
    }>(
      this.token(),
      `query EnterpriseCard($uscc: String!) {
        enterprise(uscc: $uscc) { name uscc industry controlLevel address outlets { name } }
        exceedances(first: 10, filter: { enterpriseUscc: $uscc, status: OPEN }) { edges { node { factor severity openedAt peakValue limitUpper monitor { name } } } }
      }`,
      { uscc: point.code },
    );
    const enterprise = data.enterprise;
    if (!enterprise) return;
    const episodes = element('ul');
    for (const { node } of data.exceedances.edges) {
      episodes.append(
        element(
          'li',
          `${SEVERITY_ZH[node.severity] ?? node.severity} ${node.monitor?.name ?? ''} ${node.factor} 峰值 ${node.peakValue}${node.limitUpper === null ? '' : ` / 限值 ${node.limitUpper}`}，${dateTimeOf(node.openedAt)} 起`,
        ),
      );
    }
    if (data.exceedances.edges.length === 0) episodes.append(element('li', '无未结束的超标或预警'));
    this.open(
      enterprise.name,
      [
        ['统一社会信用代码', enterprise.uscc],
        ['行业', enterprise.industry],
        ['监管级别', CONTROL_LEVEL_ZH[enterprise.controlLevel] ?? enterprise.controlLevel],
        ['地址', enterprise.address ?? '—'],
        ['排放口', enterprise.outlets.map((o) => o.name).join('，') || '—'],
        ['状态', STATE_ZH[point.state] ?? point.state],
      ],
      element('h4', '未结束的超标/预警'),
      episodes,
    );
  }

  private async showAirStation(point: MapPoint): Promise<void> {
    const data = await query<{
      latestAirQuality: {
        station: { code: string };
        quality: { aqi: number | null; time: string | null; category: { nameZh: string } | null; primaryPollutants: string[] } | null;
      }[];
    }>(this.token(), 'query AirCard { latestAirQuality { station { code } quality { aqi time category { nameZh } primaryPollutants } } }');
    const quality = data.latestAirQuality.find((row) => row.station.code === point.code)?.quality;
    this.open(point.name, [
      ['站点编码', point.code],
      ['最新 AQI', quality?.aqi == null ? '—' : String(quality.aqi)],
      ['级别', quality?.category?.nameZh ?? '—'],
      ['首要污染物', quality?.primaryPollutants.join('，') || '—'],
      ['时间', dateTimeOf(quality?.time)],
    ]);
  }

  private async showWaterStation(point: MapPoint): Promise<void> {
    const data = await query<{
      waterStation: { name: string; code: string; source: { name: string; targetClass: string } | null; openEpisode: { openedAt: string } | null } | null;
      publicWaterQuality: { stationCode: string; waterClass: string | null; time: string | null }[];
    }>(
      this.token(),
      'query WaterCard($code: String!) { waterStation(code: $code) { name code source { name targetClass } openEpisode { openedAt } } publicWaterQuality(granularity: HOUR) { stationCode waterClass time } }',
      { code: point.code },
    );
    const station = data.waterStation;
    const latest = data.publicWaterQuality.find((row) => row.stationCode === point.code);
    this.open(station?.name ?? point.name, [
      ['水源地', station?.source?.name ?? '—'],
      ['最新水质', latest?.waterClass ? (WATER_CLASS_ZH[latest.waterClass] ?? latest.waterClass) : '—'],
      ['目标', station?.source ? (WATER_CLASS_ZH[station.source.targetClass] ?? station.source.targetClass) : '—'],
      ['时间', dateTimeOf(latest?.time)],
      ['超标', station?.openEpisode ? `${dateTimeOf(station.openEpisode.openedAt)} 起` : '无'],
    ]);
  }

  private async showVideoSite(point: MapPoint): Promise<void> {
    const data = await query<{ node: { name: string; code: string; cameras: Camera[] } | null }>(
      this.token(),
      'query SiteCard($id: ID!) { node(id: $id) { ... on VideoSite { name code cameras { code name status playUrl } } } }',
      { id: point.id },
    );
    const site = data.node;
    if (!site) return;
    const cameras = element('div', undefined, { class: 'cameras' });
    for (const camera of site.cameras) {
      cameras.append(element('h4', `${camera.name}（${CAMERA_STATUS_ZH[camera.status] ?? camera.status}）`));
      if (camera.status === 'OFFLINE') cameras.append(element('p', '摄像机离线，暂无画面。'));
      else if (camera.playUrl) cameras.append(this.player(camera));
      else cameras.append(element('p', '视频平台未提供浏览器可播放地址（RTSP 请用视频客户端查看）。'));
    }
    this.open(
      site.name,
      [
        ['点位编码', site.code],
        ['摄像机', String(site.cameras.length)],
      ],
      cameras,
    );
  }

  /** HLS through hls.js (or the browser's own HLS where it has one); other addresses are linked. */
  private player(camera: Camera): HTMLElement {
    const url = camera.playUrl as string;
    const video = element('video', undefined, { 'data-camera': camera.code, muted: '', playsinline: '', controls: '' });
    // muted, so the browser lets it start by itself on a screen nobody clicks
    video.muted = true;
    video.autoplay = true;
    if (/\.m3u8(\?|$)/i.test(url)) {
      if (Hls.isSupported()) {
        const hls = new Hls({ enableWorker: false, lowLatencyMode: true });
        hls.on(Hls.Events.MANIFEST_PARSED, () => void video.play().catch(() => {}));
        hls.on(Hls.Events.ERROR, (_event, data) => {
          if (data.fatal) video.replaceWith(element('p', '视频加载失败，请稍后再试或用视频客户端查看。'));
        });
        hls.loadSource(url);
        hls.attachMedia(video);
        this.players.push(hls);
      } else video.src = url;
      return video;
    }
    return element('a', '在新窗口打开视频', { href: url, target: '_blank', rel: 'noopener' });
  }
}
