// Headless charts: a vega-lite spec compiled with vega-lite, rendered by vega with renderer "none"
// to an SVG string, and an SVG rasterised to PNG with resvg. No browser, no canvas package. vega and
// vega-lite are ES modules with top-level await, so they are loaded with a dynamic import.
// PNG text uses the system's fonts (resvg loads them); SVG text is left to the viewer.

/** A vega-lite specification (kept as plain data; vega-lite validates it when compiling). */
export type VegaLiteSpec = Record<string, unknown>;

/** Renders a vega-lite spec to an SVG string. */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const vl = await import("vega-lite");
  const vega = await import("vega");
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises an SVG string to PNG bytes (width in pixels; default: the SVG's own size). */
export function renderPng(svg: string, widthPx?: number): Uint8Array {
  const { Resvg } = require("@resvg/resvg-js") as typeof import("@resvg/resvg-js");
  const r = new Resvg(svg, { fitTo: widthPx ? { mode: "width", value: widthPx } : { mode: "original" }, font: { loadSystemFonts: true } });
  return r.render().asPng();
}
