/**
 * Charts drawn at build time as inline SVG, with Vega-Lite (the chart grammar) compiled to Vega and rendered by
 * Vega's headless SVG renderer (`View.toSVG()`, no browser, no canvas, no DOM). The SVG has no script, no link and
 * no namespace URL (inline SVG in HTML needs none), so the page needs no network.
 *
 * @module
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** A Vega-Lite specification without data URLs (the data is inlined by the caller). */
export type ChartSpec = TopLevelSpec;

const CONFIG = {
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: "#e5e7eb" },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  range: {
    category: ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#be185d", "#4b5563"],
  },
};

/**
 * Renders a Vega-Lite spec to an SVG string for inlining in HTML: no XML namespace attributes, a `role="img"`
 * and `aria-label`.
 */
export async function chartSvg(spec: ChartSpec, label: string): Promise<string> {
  const compiled = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    return svg
      .replace(/\s+xmlns(:\w+)?="[^"]*"/g, "")
      .replace(/^<svg /, `<svg role="img" aria-label="${escapeAttr(label)}" `);
  } finally {
    view.finalize();
  }
}

function escapeAttr(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
}
