/**
 * Small inline SVG charts for the HTML reports: horizontal bars, stacked columns, a line per series and a heat map.
 * Each draws its numbers as text beside the marks (a reader sees the value, not only a length, and it survives
 * printing in black and white); each value's <text> carries `class="value"` and data attributes naming its series
 * and category, so a test can read what a reader sees. Pure string building; every label is escaped.
 */
import { attributes, escapeHtml } from "./page";

export interface Bar {
  label: string;
  value: number;
  color: string;
  /** Shown after the value, e.g. "routine". */
  note?: string;
}

function figure(id: string, caption: string, svg: string, legend = ""): string {
  return `<figure data-chart="${escapeHtml(id)}"><figcaption>${escapeHtml(caption)}</figcaption>${svg}${legend}</figure>`;
}

function svgOpen(width: number, height: number, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(label)}" style="max-width:${width}px">`;
}

function text(x: number, y: number, content: string | number, attrs: Record<string, string | number | undefined> = {}) {
  return `<text x="${round(x)}" y="${round(y)}"${attributes(attrs)}>${escapeHtml(content)}</text>`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function legend(series: readonly { name: string; color: string }[]): string {
  return `<div class="legend">${series.map((s) => `<span style="--accent:${escapeHtml(s.color)}"><i></i>${escapeHtml(s.name)}</span>`).join("")}</div>`;
}

/** Horizontal bars, one per label, the value written after each bar; an optional threshold line. */
export function barChart(options: {
  id: string;
  caption: string;
  bars: readonly Bar[];
  unit?: string;
  threshold?: { value: number; label: string };
}): string {
  const { bars } = options;
  if (bars.length === 0) return figure(options.id, options.caption, `<p class="none">No data.</p>`);
  const labelWidth = Math.min(320, 12 + 6.6 * Math.max(...bars.map((b) => b.label.length)));
  const width = 760;
  const plot = width - labelWidth - 120;
  const rowHeight = 22;
  const height = bars.length * rowHeight + 24;
  const max = Math.max(1, options.threshold?.value ?? 0, ...bars.map((b) => b.value));
  const unit = options.unit ? ` ${options.unit}` : "";
  const parts = [svgOpen(width, height, options.caption)];
  bars.forEach((b, i) => {
    const y = 8 + i * rowHeight;
    const w = (Math.max(0, b.value) / max) * plot;
    parts.push(text(labelWidth - 6, y + 13, b.label, { "text-anchor": "end", class: "label" }));
    parts.push(
      `<rect x="${round(labelWidth)}" y="${y}" width="${round(Math.max(w, b.value > 0 ? 2 : 0))}" height="16" fill="${escapeHtml(b.color)}"><title>${escapeHtml(`${b.label}: ${b.value}${unit}`)}</title></rect>`,
    );
    parts.push(
      text(labelWidth + w + 6, y + 13, `${b.value}${unit}${b.note ? ` (${b.note})` : ""}`, {
        class: "value",
        "data-category": b.label,
      }),
    );
  });
  if (options.threshold) {
    const x = labelWidth + (options.threshold.value / max) * plot;
    parts.push(
      `<line x1="${round(x)}" y1="2" x2="${round(x)}" y2="${height - 14}" stroke="#111827" stroke-dasharray="4 3"/>`,
      text(x, height - 2, options.threshold.label, { "text-anchor": "middle", class: "threshold" }),
    );
  }
  parts.push("</svg>");
  return figure(options.id, options.caption, parts.join(""));
}

export interface Series {
  name: string;
  color: string;
  /** One value per category, in order. */
  values: readonly number[];
}

/** Vertical stacked columns, one per category (e.g. a day), a segment per series, the total above each column. */
export function stackedColumns(options: {
  id: string;
  caption: string;
  categories: readonly string[];
  series: readonly Series[];
}): string {
  const { categories, series } = options;
  if (categories.length === 0 || series.length === 0)
    return figure(options.id, options.caption, `<p class="none">No data.</p>`);
  const width = 760;
  const height = 240;
  const left = 36;
  const bottom = 40;
  const top = 18;
  const plotH = height - bottom - top;
  const step = (width - left - 10) / categories.length;
  const barW = Math.min(48, step * 0.6);
  const totals = categories.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const parts = [svgOpen(width, height, options.caption)];
  parts.push(`<line class="axis" x1="${left}" y1="${height - bottom}" x2="${width - 10}" y2="${height - bottom}"/>`);
  categories.forEach((category, i) => {
    const x = left + i * step + (step - barW) / 2;
    let y = height - bottom;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      if (v <= 0) continue;
      const h = (v / max) * plotH;
      y -= h;
      parts.push(
        `<rect x="${round(x)}" y="${round(y)}" width="${round(barW)}" height="${round(h)}" fill="${escapeHtml(s.color)}"><title>${escapeHtml(`${category}, ${s.name}: ${v}`)}</title></rect>`,
      );
      if (h >= 13)
        parts.push(
          text(x + barW / 2, y + h / 2 + 4, v, {
            "text-anchor": "middle",
            class: "value segment",
            "data-series": s.name,
            "data-category": category,
            style: "fill:#fff",
          }),
        );
    }
    parts.push(
      text(x + barW / 2, y - 4, totals[i]!, {
        "text-anchor": "middle",
        class: "value total",
        "data-category": category,
      }),
    );
    parts.push(text(x + barW / 2, height - bottom + 14, category, { "text-anchor": "middle", class: "label" }));
  });
  parts.push("</svg>");
  return figure(options.id, options.caption, parts.join(""), legend(series));
}

/** A line per series over the categories (e.g. runs), every point labelled with its value. */
export function lineChart(options: {
  id: string;
  caption: string;
  categories: readonly string[];
  series: readonly Series[];
}): string {
  const { categories, series } = options;
  if (categories.length === 0) return figure(options.id, options.caption, `<p class="none">No data.</p>`);
  const width = 760;
  const height = 260;
  const left = 36;
  const right = 24;
  const bottom = 48;
  const top = 16;
  const plotH = height - bottom - top;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const xOf = (i: number) =>
    categories.length === 1
      ? (left + width - right) / 2
      : left + (i * (width - left - right)) / (categories.length - 1);
  const yOf = (v: number) => top + plotH - (v / max) * plotH;
  const parts = [svgOpen(width, height, options.caption)];
  parts.push(`<line class="axis" x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}"/>`);
  categories.forEach((c, i) =>
    parts.push(text(xOf(i), height - bottom + 16, c, { "text-anchor": "middle", class: "label" })),
  );
  series.forEach((s, si) => {
    const points = s.values.map((v, i) => `${round(xOf(i))},${round(yOf(v))}`).join(" ");
    parts.push(`<polyline points="${points}" fill="none" stroke="${escapeHtml(s.color)}" stroke-width="2"/>`);
    s.values.forEach((v, i) => {
      parts.push(`<circle cx="${round(xOf(i))}" cy="${round(yOf(v))}" r="3" fill="${escapeHtml(s.color)}"/>`);
      // Labels of series at the same height would overlap: each series' label sits a little further up.
      parts.push(
        text(xOf(i) + 5, yOf(v) - 4 - si * 11, v, {
          class: "value",
          "data-series": s.name,
          "data-category": categories[i],
          style: `fill:${s.color}`,
        }),
      );
    });
  });
  parts.push("</svg>");
  return figure(options.id, options.caption, parts.join(""), legend(series));
}

/** A grid of counts (rows × columns), darker for more; zero cells stay blank. */
export function heatmap(options: {
  id: string;
  caption: string;
  rows: readonly string[];
  columns: readonly string[];
  values: readonly (readonly number[])[];
  color: string;
}): string {
  const { rows, columns, values } = options;
  if (rows.length === 0) return figure(options.id, options.caption, `<p class="none">No data.</p>`);
  const labelWidth = Math.min(320, 12 + 6.6 * Math.max(...rows.map((r) => r.length)));
  const cell = Math.min(60, (760 - labelWidth) / Math.max(columns.length, 1));
  const width = labelWidth + cell * columns.length + 4;
  const height = 22 + rows.length * 24;
  const max = Math.max(1, ...values.flat());
  const parts = [svgOpen(width, height, options.caption)];
  columns.forEach((c, j) =>
    parts.push(text(labelWidth + j * cell + cell / 2, 14, c, { "text-anchor": "middle", class: "label" })),
  );
  rows.forEach((r, i) => {
    const y = 20 + i * 24;
    parts.push(text(labelWidth - 6, y + 15, r, { "text-anchor": "end", class: "label" }));
    columns.forEach((c, j) => {
      const v = values[i]?.[j] ?? 0;
      const x = labelWidth + j * cell;
      parts.push(
        `<rect x="${round(x + 1)}" y="${y}" width="${round(cell - 2)}" height="22" fill="${escapeHtml(options.color)}" fill-opacity="${v === 0 ? 0.04 : round(0.25 + (0.75 * v) / max)}"/>`,
      );
      if (v > 0)
        parts.push(
          text(x + cell / 2, y + 15, v, {
            "text-anchor": "middle",
            class: "value",
            "data-series": r,
            "data-category": c,
            style: v / max > 0.5 ? "fill:#fff" : undefined,
          }),
        );
    });
  });
  parts.push("</svg>");
  return figure(options.id, options.caption, parts.join(""));
}
