import { describe, expect, it } from "vitest";
import { renderPng, renderSvg } from "../../traces/plot";

describe("headless chart helper", () => {
  it("renders a vega-lite spec to SVG and the SVG to PNG", async () => {
    const svg = await renderSvg({
      data: {
        values: [
          { t: 1, y: 0.06 },
          { t: 100, y: 0.2 },
        ],
      },
      mark: "line",
      encoding: { x: { field: "t", type: "quantitative", scale: { type: "log" } }, y: { field: "y", type: "quantitative" } },
    });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toMatch(/<path/);
    const png = renderPng(svg);
    expect(Array.from(png.slice(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]); // PNG signature
  });
});
