import { NO, shanghaiDayText, shanghaiTimeText, YES, type Cell, type Column } from '../format/cells';
import { reportTitle, sectionsOf, type Block } from './sections';
import { chartSvg, escapeHtml } from './svg';
import type { MonthlyReport } from './types';

function cellText(cell: Cell, column: Column): string {
  if (cell === null || cell === undefined) return '—';
  if (cell instanceof Date) return column.type === 'day' ? shanghaiDayText(cell) : shanghaiTimeText(cell).slice(0, 16);
  if (typeof cell === 'boolean') return cell ? YES : NO;
  if (typeof cell === 'number') return column.type === 'ratio' ? `${(Math.round(cell * 10_000) / 100).toFixed(2)}%` : String(cell);
  return cell;
}

function table(block: Block): string {
  const numeric = (c: Column) => c.type !== 'text' && c.type !== 'day' && c.type !== 'time' && c.type !== 'boolean';
  const head = block.columns.map((c) => `<th>${escapeHtml(c.header)}</th>`).join('');
  const body =
    block.rows.length === 0
      ? `<tr><td colspan="${block.columns.length}" class="empty">本月无记录</td></tr>`
      : block.rows
          .map((row) => `<tr>${block.columns.map((c, i) => `<td${numeric(c) ? ' class="n"' : ''}>${escapeHtml(cellText(row[i], c))}</td>`).join('')}</tr>`)
          .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

const STYLE = `
@page { size: A4 landscape; margin: 12mm; }
body { font-family: 'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', sans-serif; font-size: 12px; color: #222; margin: 16px; }
h1 { font-size: 20px; text-align: center; margin: 0 0 4px; }
.meta { text-align: center; color: #666; margin-bottom: 16px; }
section { break-before: page; }
section:first-of-type { break-before: auto; }
h2 { font-size: 16px; border-bottom: 2px solid #1565C0; padding-bottom: 2px; }
h3 { font-size: 13px; margin: 14px 0 4px; }
.note { color: #666; margin: 0 0 6px; }
table { border-collapse: collapse; margin: 4px 0 8px; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #999; padding: 2px 5px; }
th { background: #E8EEF7; font-weight: bold; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.empty { color: #999; text-align: center; }
figure { margin: 6px 0 12px; break-inside: avoid; }
svg { max-width: 100%; height: auto; }
`;

/**
 * The monthly report as one self-contained page: inline styles and server-drawn SVG charts, no
 * script, nothing fetched. A browser prints it to PDF (A4 landscape, one part per page).
 */
export function monthlyHtml(report: MonthlyReport): string {
  const sections = sectionsOf(report)
    .map((section) => {
      const blocks = section.blocks
        .map(
          (block) =>
            `<h3>${escapeHtml(block.title)}</h3>${block.note ? `<p class="note">${escapeHtml(block.note)}</p>` : ''}${block.chart ? `<figure>${chartSvg(block.chart)}</figure>` : ''}${table(block)}`,
        )
        .join('');
      return `<section><h2>${escapeHtml(section.title)}</h2>${blocks}</section>`;
    })
    .join('');
  const title = escapeHtml(reportTitle(report));
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head><body><h1>${title}</h1><p class="meta">统计期：${escapeHtml(report.period.days[0] ?? '')} 至 ${escapeHtml(report.period.days.at(-1) ?? '')}　生成时间：${escapeHtml(shanghaiTimeText(report.generatedAt))}（北京时间）</p>${sections || '<p>没有可报告的内容：相关模块未启用。</p>'}</body></html>`;
}
