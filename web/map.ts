/** The district map: the three grid levels from their boundaries (no tiles), and the points by state. */
import * as echarts from 'echarts';
import { STATE_COLOUR, STATE_ZH } from './labels.js';

export interface MapPoint {
  id: string;
  code: string;
  name: string;
  longitude: number;
  latitude: number;
  state: string;
  openExceedances: number;
}

export type PointKind = 'enterprises' | 'airStations' | 'waterStations' | 'videoSites';

/** Stations above enterprises above video sites: a site at an enterprise's gate sits under it. */
const KINDS: Record<PointKind, { label: string; symbol: string; size: number; z: number }> = {
  enterprises: { label: '企业', symbol: 'circle', size: 9, z: 12 },
  airStations: { label: '空气站', symbol: 'triangle', size: 13, z: 13 },
  waterStations: { label: '水质站', symbol: 'diamond', size: 13, z: 13 },
  videoSites: { label: '视频点位', symbol: 'rect', size: 7, z: 11 },
};

interface Feature {
  geometry: { type: string; coordinates: unknown } | null;
  properties: { code: string; name: string; level: number; parent: string | null };
}
interface Collection {
  type: 'FeatureCollection';
  features: Feature[];
}

const LEVEL_STYLE = {
  1: { areaColor: 'transparent', borderColor: '#9fd8ff', borderWidth: 2.4 },
  2: { areaColor: 'transparent', borderColor: '#4fa3e0', borderWidth: 1.4 },
  3: { areaColor: '#0d2c52', borderColor: '#1d5a91', borderWidth: 0.6 },
} as const;

function extent(collections: readonly Collection[]): [[number, number], [number, number]] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (value: unknown): void => {
    if (Array.isArray(value) && typeof value[0] === 'number') {
      const [x, y] = value as [number, number];
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    } else if (Array.isArray(value)) value.forEach(visit);
  };
  for (const collection of collections) for (const feature of collection.features) visit(feature.geometry?.coordinates);
  return [
    [minX, maxY],
    [maxX, minY],
  ];
}

export interface DistrictMap {
  showPoints(points: Partial<Record<PointKind, MapPoint[]>>): void;
  resize(): void;
}

/**
 * One geo component per level, sharing one bounding box so they overlay exactly: villages filled
 * and clickable, towns and areas drawn as outlines above them that let clicks through.
 */
export async function createDistrictMap(
  container: HTMLElement,
  handlers: { onCell(code: string): void; onPoint(kind: PointKind, point: MapPoint): void },
): Promise<DistrictMap> {
  const collections = await Promise.all(
    [1, 2, 3].map(async (level) => {
      const response = await fetch(`/geo/grid.geojson?level=${level}`);
      const collection = (await response.json()) as Collection;
      collection.features = collection.features.filter((feature) => feature.geometry !== null);
      return collection;
    }),
  );
  const names = new Map<string, string>();
  collections.forEach((collection, index) => {
    for (const feature of collection.features) names.set(feature.properties.code, feature.properties.name);
    echarts.registerMap(`grid-${index + 1}`, collection as never);
  });
  const chart = echarts.init(container, undefined, { renderer: 'canvas' });
  if (collections.every((collection) => collection.features.length === 0)) {
    // a hub installed a moment ago has no grid yet: nothing to place points on
    chart.setOption({ title: { text: '尚未录入网格边界', left: 'center', top: 'middle', textStyle: { color: '#7f9cc2' } } });
    return { showPoints: () => {}, resize: () => chart.resize() };
  }
  const boundingCoords = extent(collections);
  chart.setOption({
    backgroundColor: 'transparent',
    tooltip: {
      trigger: 'item',
      formatter: (params: { componentType: string; name: string; data?: { name: string; state: string; kind: string } }) =>
        params.componentType === 'series' && params.data
          ? `${params.data.kind}：${params.data.name}<br>状态：${STATE_ZH[params.data.state] ?? params.data.state}`
          : (names.get(params.name) ?? params.name),
    },
    geo: ([1, 2, 3] as const).map((level) => ({
      map: `grid-${level}`,
      nameProperty: 'code',
      boundingCoords,
      roam: false,
      layoutCenter: ['50%', '50%'],
      layoutSize: '96%',
      silent: level !== 3,
      selectedMode: false,
      z: 4 - level,
      zlevel: 0,
      label: { show: level === 2, color: '#8fc7f2', fontSize: 12, formatter: (params: { name: string }) => names.get(params.name) ?? params.name },
      itemStyle: LEVEL_STYLE[level],
      emphasis: { disabled: level !== 3, label: { show: false }, itemStyle: { areaColor: '#1b4f8a' } },
      tooltip: { show: level === 3 },
    })),
    series: [],
  });
  chart.on('click', (params) => {
    const data = params.data as (MapPoint & { pointKind: PointKind }) | undefined;
    if (params.componentType === 'series' && data?.pointKind) handlers.onPoint(data.pointKind, data);
    else if (params.componentType === 'geo' && typeof params.name === 'string') handlers.onCell(params.name);
  });
  return {
    showPoints: (points) => {
      chart.setOption(
        {
          series: (Object.keys(KINDS) as PointKind[]).map((kind) => ({
            id: kind,
            name: KINDS[kind].label,
            type: 'scatter',
            coordinateSystem: 'geo',
            geoIndex: 2,
            z: KINDS[kind].z,
            symbol: KINDS[kind].symbol,
            symbolSize: KINDS[kind].size,
            data: (points[kind] ?? []).map((point) => ({
              ...point,
              pointKind: kind,
              kind: KINDS[kind].label,
              value: [point.longitude, point.latitude],
              symbolSize: point.state === 'EXCEEDANCE' ? KINDS[kind].size * 1.6 : KINDS[kind].size,
              itemStyle: { color: STATE_COLOUR[point.state] ?? STATE_COLOUR.NORMAL, borderColor: '#041022', borderWidth: 0.5 },
            })),
          })),
        },
        { replaceMerge: ['series'] },
      );
    },
    resize: () => chart.resize(),
  };
}
