import type { Chart } from './sections';

/** Escapes text for HTML and SVG, attributes included. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const FONT = `font-family="'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif"`;
const fmt = (n: number): string => String(Math.round(n * 10) / 10);

/** Vertical bars, one colour each; a null value leaves its place empty and says so. */
function bars(chart: Extract<Chart, { kind: 'bars' }>): string {
  const width = 720;
  const height = 220;
  const left = 40;
  const bottom = 40;
  const plot = height - bottom - 20;
  const max = chart.max ?? Math.max(1, ...chart.bars.map((b) => b.value ?? 0));
  const step = (width - left - 10) / Math.max(1, chart.bars.length);
  const barWidth = Math.max(2, step * 0.7);
  const rotate = chart.bars.length > 12;
  const parts = chart.bars.map((bar, i) => {
    const x = left + i * step + (step - barWidth) / 2;
    const h = bar.value === null ? 0 : (Math.min(bar.value, max) / max) * plot;
    const y = 20 + plot - h;
    const labelX = x + barWidth / 2;
    const labelY = height - bottom + 14;
    const name = rotate
      ? `<text x="${fmt(labelX)}" y="${labelY}" font-size="9" text-anchor="end" transform="rotate(-45 ${fmt(labelX)} ${labelY})">${escapeHtml(bar.label)}</text>`
      : `<text x="${fmt(labelX)}" y="${labelY}" font-size="10" text-anchor="middle">${escapeHtml(bar.label)}</text>`;
    const value =
      bar.value === null
        ? `<text x="${fmt(labelX)}" y="${20 + plot - 2}" font-size="9" text-anchor="middle" fill="#999">—</text>`
        : `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(barWidth)}" height="${fmt(h)}" fill="${bar.color}" stroke="#555" stroke-width="0.3"><title>${escapeHtml(`${bar.label}: ${bar.value}${chart.unit}`)}</title></rect>` +
          (chart.bars.length <= 31 ? `<text x="${fmt(labelX)}" y="${fmt(y - 2)}" font-size="8" text-anchor="middle">${fmt(bar.value)}</text>` : '');
    return value + name;
  });
  const axis = `<line x1="${left}" y1="${20 + plot}" x2="${width - 10}" y2="${20 + plot}" stroke="#333"/><text x="${left - 4}" y="24" font-size="9" text-anchor="end">${fmt(max)}</text><text x="${left - 4}" y="${20 + plot}" font-size="9" text-anchor="end">0</text>`;
  return svg(width, height + (rotate ? 20 : 0), chart.title, axis + parts.join(''));
}

/** Horizontal stacked bars with a legend: one row per station, one segment per level. */
function stacked(chart: Extract<Chart, { kind: 'stacked' }>): string {
  const width = 720;
  const left = 120;
  const rowHeight = 22;
  const top = 30;
  const total = Math.max(1, ...chart.rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  const scale = (width - left - 20) / total;
  const rows = chart.rows.map((row, r) => {
    let x = left;
    const y = top + r * rowHeight;
    const segments = row.values.map((value, i) => {
      const w = value * scale;
      const color = chart.legend[i]?.color ?? '#999';
      const rect =
        value > 0
          ? `<rect x="${fmt(x)}" y="${y}" width="${fmt(w)}" height="${rowHeight - 6}" fill="${color}" stroke="#555" stroke-width="0.3"><title>${escapeHtml(`${row.label} ${chart.legend[i]?.label ?? ''}: ${value}`)}</title></rect>${w > 14 ? `<text x="${fmt(x + w / 2)}" y="${y + rowHeight - 10}" font-size="9" text-anchor="middle">${value}</text>` : ''}`
          : '';
      x += w;
      return rect;
    });
    return `<text x="${left - 6}" y="${y + rowHeight - 10}" font-size="10" text-anchor="end">${escapeHtml(row.label)}</text>${segments.join('')}`;
  });
  const legendY = top + chart.rows.length * rowHeight + 8;
  const legend = chart.legend.map(
    (item, i) =>
      `<rect x="${left + i * 90}" y="${legendY}" width="12" height="12" fill="${item.color}" stroke="#555" stroke-width="0.3"/><text x="${left + i * 90 + 16}" y="${legendY + 10}" font-size="10">${escapeHtml(item.label)}</text>`,
  );
  return svg(width, legendY + 24, chart.title, rows.join('') + legend.join(''));
}

/** A grid of coloured cells: stations down, days across. */
function grid(chart: Extract<Chart, { kind: 'grid' }>): string {
  const left = 120;
  const cell = Math.min(20, Math.floor(600 / Math.max(1, chart.columns.length)));
  const top = 40;
  const width = left + chart.columns.length * cell + 10;
  const header = chart.columns.map(
    (c, i) => `<text x="${left + i * cell + cell / 2}" y="${top - 4}" font-size="8" text-anchor="middle">${escapeHtml(c)}</text>`,
  );
  const rows = chart.rows.map((row, r) => {
    const y = top + r * cell;
    const cells = row.cells.map(
      (c, i) =>
        `<rect x="${left + i * cell}" y="${y}" width="${cell}" height="${cell}" fill="${c.color}" stroke="#fff"/><text x="${left + i * cell + cell / 2}" y="${y + cell / 2 + 3}" font-size="7" text-anchor="middle">${escapeHtml(c.text)}</text>`,
    );
    return `<text x="${left - 6}" y="${y + cell / 2 + 3}" font-size="10" text-anchor="end">${escapeHtml(row.label)}</text>${cells.join('')}`;
  });
  const legendY = top + chart.rows.length * cell + 10;
  const legend = chart.legend.map(
    (item, i) =>
      `<rect x="${left + i * 70}" y="${legendY}" width="12" height="12" fill="${item.color}" stroke="#555" stroke-width="0.3"/><text x="${left + i * 70 + 16}" y="${legendY + 10}" font-size="10">${escapeHtml(item.label)}</text>`,
  );
  return svg(Math.max(width, left + chart.legend.length * 70), legendY + 24, chart.title, header.join('') + rows.join('') + legend.join(''));
}

function svg(width: number, height: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}" ${FONT}><text x="4" y="14" font-size="12" font-weight="bold">${escapeHtml(title)}</text>${body}</svg>`;
}

/** A chart as inline SVG, drawn here on the server: the page needs no script and no library. */
export function chartSvg(chart: Chart): string {
  if (chart.kind === 'bars') return bars(chart);
  if (chart.kind === 'stacked') return stacked(chart);
  return grid(chart);
}
