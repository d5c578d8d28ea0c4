/**
 * The shell of every HTML report (audit, review, drill evidence): one self-contained file, readable offline and on
 * paper. No script, no font, no image and no style sheet is loaded from anywhere (no CDN: the report is opened on a
 * SOC workstation, attached to a ticket, printed); the styles are inline and the charts are inline SVG (charts.ts).
 *
 * Everything shown comes from tenant data (names, justifications, policy names), so every text passes `escapeHtml`;
 * the helpers below take text, never markup, unless their parameter says `html`.
 */

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Markup already built from escaped parts: the type keeps text and markup apart. */
export interface Html {
  readonly html: string;
}

export function html(markup: string): Html {
  return { html: markup };
}

/** An element with escaped text content. */
export function el(tag: string, text: unknown, attrs: Record<string, string | number | undefined> = {}): string {
  return `<${tag}${attributes(attrs)}>${escapeHtml(text)}</${tag}>`;
}

export function attributes(attrs: Record<string, string | number | undefined>): string {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`)
    .join("");
}

/** A table of text cells; `cellClass` may mark cells (e.g. a severity). */
export function table(
  head: readonly string[],
  rows: readonly (readonly (string | number | Html)[])[],
  attrs: Record<string, string | undefined> = {},
): string {
  if (rows.length === 0) return el("p", "None.", { class: "none" });
  const cell = (c: string | number | Html) => (typeof c === "object" ? `<td>${c.html}</td>` : el("td", c));
  return (
    `<table${attributes(attrs)}><thead><tr>${head.map((h) => el("th", h)).join("")}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("") +
    "</tbody></table>"
  );
}

export const SEVERITY_COLORS = {
  critical: "#8b1a1a",
  high: "#c2410c",
  medium: "#b7791f",
  low: "#2563eb",
  info: "#6b7280",
  ok: "#15803d",
} as const;

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #111827;
  margin: 0 auto; max-width: 1100px; padding: 24px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #e5e7eb; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: #4b5563; margin: 0 0 16px; }
.banner { border-left: 4px solid ${SEVERITY_COLORS.critical}; background: #fef2f2; padding: 8px 12px; margin: 12px 0; }
.banner.ok { border-color: ${SEVERITY_COLORS.ok}; background: #f0fdf4; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 12px; }
.card { border: 1px solid #e5e7eb; border-top: 4px solid var(--accent, #9ca3af); border-radius: 6px; padding: 10px 12px; }
.card h3 { margin: 0 0 4px; } .card .status { font-weight: 600; color: var(--accent, #374151); }
.card .status.value { font-size: 22px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; font-size: 12px; font-weight: 600;
  text-transform: uppercase; background: var(--accent, #6b7280); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { border: 1px solid #e5e7eb; padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f9fafb; }
.finding { border: 1px solid #e5e7eb; border-left: 4px solid var(--accent, #9ca3af); border-radius: 4px; padding: 8px 12px;
  margin: 8px 0; break-inside: avoid; }
.finding dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0 0; }
.finding dt { color: #4b5563; } .finding dd { margin: 0; overflow-wrap: anywhere; }
figure { margin: 8px 0 16px; break-inside: avoid; } figcaption { font-weight: 600; margin-bottom: 4px; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; fill: #111827; }
svg .axis { stroke: #9ca3af; } svg .grid { stroke: #e5e7eb; }
.none { color: #6b7280; font-style: italic; }
.legend span { display: inline-block; margin-right: 12px; } .legend i { display: inline-block; width: 10px; height: 10px;
  margin-right: 4px; background: var(--accent); }
footer { margin-top: 32px; color: #6b7280; font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; } .card, .finding, figure, tr { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
`;

/** A complete, self-contained HTML document. `body` is markup built from escaped parts. */
export function htmlPage(options: { title: string; subtitle: string; body: string; footer: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(options.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(options.title)}</h1><p class="meta">${escapeHtml(options.subtitle)}</p></header>
${options.body}
<footer>${escapeHtml(options.footer)}</footer>
</body>
</html>
`;
}
