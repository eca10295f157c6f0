import type ExcelJS from 'exceljs';
import { shanghaiTimeText, type Column } from '../format/cells';
import { excel, xlsxValue } from '../format/writers';
import { reportTitle, sectionsOf } from './sections';
import type { MonthlyReport } from './types';

const NUMBER_FORMATS: Partial<Record<Column['type'], string>> = { integer: '0', ratio: '0.00%', time: 'yyyy-mm-dd hh:mm:ss', day: 'yyyy-mm-dd' };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
const THIN: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };

/**
 * The monthly report as a workbook: one sheet per part, each part's tables one under another with
 * their titles, Chinese headers with units. Small (a month of a district), so built in memory.
 */
export async function monthlyWorkbook(report: MonthlyReport): Promise<Buffer> {
  const workbook = new (excel().Workbook)();
  workbook.creator = 'envhub';
  workbook.created = report.generatedAt;
  for (const section of sectionsOf(report)) {
    const sheet = workbook.addWorksheet(section.sheet);
    const widest = Math.max(...section.blocks.map((b) => b.columns.length));
    const title = sheet.addRow([`${reportTitle(report)}　${section.title}`]);
    title.font = { bold: true, size: 14 };
    sheet.mergeCells(title.number, 1, title.number, Math.max(1, widest));
    sheet.addRow([`生成时间：${shanghaiTimeText(report.generatedAt)}（北京时间）`]).font = { italic: true, color: { argb: 'FF666666' } };
    const widths: number[] = [];
    for (const block of section.blocks) {
      sheet.addRow([]);
      sheet.addRow([block.title]).font = { bold: true, size: 12 };
      if (block.note) sheet.addRow([block.note]).font = { color: { argb: 'FF666666' } };
      const header = sheet.addRow(block.columns.map((c) => c.header));
      header.eachCell((cell) => {
        cell.font = { bold: true };
        cell.fill = HEADER_FILL;
        cell.border = THIN;
        cell.alignment = { wrapText: true, vertical: 'middle' };
      });
      for (const values of block.rows) {
        const row = sheet.addRow(block.columns.map((_c, i) => xlsxValue(values[i])));
        block.columns.forEach((column, i) => {
          const cell = row.getCell(i + 1);
          cell.border = THIN;
          const format = NUMBER_FORMATS[column.type];
          if (format) cell.numFmt = format;
        });
      }
      block.columns.forEach((column, i) => {
        widths[i] = Math.max(widths[i] ?? 8, column.width ?? Math.min(24, column.header.length * 2 + 2));
      });
    }
    widths.forEach((width, i) => {
      sheet.getColumn(i + 1).width = width;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
