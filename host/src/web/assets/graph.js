// The usage graph: used (mean line, min-max band) against issued, and the harvest threshold,
// drawn as inline SVG from GET /api/v1/usage.
import { svg, when } from "./dom.js";

export const RANGES = { hour: 3600, day: 86400, week: 7 * 86400, month: 30 * 86400 };

const W = 800, H = 240, LEFT = 44, RIGHT = 12, TOP = 12, BOTTOM = 28;

export const pool_key = (p) => [p.server, p.vendor, p.feature, p.version || ""].join("/");
export const pool_label = (p) => `${p.server} · ${p.feature}${p.version ? " " + p.version : ""}`;

/// Draws `pool` over [from, to] (epoch ms) into the <svg>; returns a caption.
export function draw_graph(element, pool, from, to) {
  element.replaceChildren();
  const points = (pool && pool.points) || [];
  if (!points.length) return "no history for this pool in this range yet";
  const highest = Math.max(1, ...points.map((p) => Math.max(p.used_max ?? 0, p.total ?? 0)));
  const x = (t) => LEFT + ((t - from) / Math.max(1, to - from)) * (W - LEFT - RIGHT);
  const y = (v) => TOP + (1 - v / highest) * (H - TOP - BOTTOM);
  const times = points.map((p) => Date.parse(p.time));

  element.append(
    svg("line", { class: "axis", x1: LEFT, y1: y(0), x2: W - RIGHT, y2: y(0) }),
    svg("line", { class: "axis", x1: LEFT, y1: TOP, x2: LEFT, y2: y(0) }),
    svg("text", { class: "label", x: LEFT - 6, y: y(highest) + 4, "text-anchor": "end" }, String(highest)),
    svg("text", { class: "label", x: LEFT - 6, y: y(0) + 4, "text-anchor": "end" }, "0"),
    svg("text", { class: "label", x: LEFT, y: H - 8 }, when(new Date(from).toISOString())),
    svg("text", { class: "label", x: W - RIGHT, y: H - 8, "text-anchor": "end" }, when(new Date(to).toISOString())));

  const band = points.map((p, i) => `${x(times[i])},${y(p.used_max ?? p.used_mean ?? 0)}`)
    .concat(points.map((p, i) => `${x(times[i])},${y(p.used_min ?? p.used_mean ?? 0)}`).reverse());
  element.append(svg("polygon", { class: "band", points: band.join(" ") }));
  element.append(svg("polyline", { class: "used", "data-series": "used",
    points: points.map((p, i) => `${x(times[i])},${y(p.used_mean ?? p.used_max ?? 0)}`).join(" ") }));

  const counted = points.filter((p) => p.total !== null && p.total !== undefined);
  if (counted.length) {
    // Issued as steps: it changes only when the license file does.
    const steps = [];
    points.forEach((p, i) => {
      if (p.total === null || p.total === undefined) return;
      if (steps.length) steps.push(`${x(times[i])},${steps[steps.length - 1].split(",")[1]}`);
      steps.push(`${x(times[i])},${y(p.total)}`);
    });
    element.append(svg("polyline", { class: "total", "data-series": "total", points: steps.join(" ") }));
    if (pool.threshold !== null && pool.threshold !== undefined) {
      const level = y(pool.threshold * counted[counted.length - 1].total);
      element.append(svg("line", { class: "threshold", "data-series": "threshold",
                                   x1: LEFT, y1: level, x2: W - RIGHT, y2: level }));
    }
  }
  const last = points[points.length - 1];
  return `used ${last.used_mean ?? last.used_max}` +
         (last.total !== null && last.total !== undefined ? ` of ${last.total} issued` : " (uncounted)") +
         (pool.threshold != null ? `; harvest threshold ${Math.round(pool.threshold * 100)} %` : "") +
         " · blue: used (band: min to max), black: issued, dashed: threshold";
}
