// Small helpers to build the page with DOM calls (never innerHTML: names come from license
// servers) and to write times and durations.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "text") element.textContent = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) element.append(child);
  return element;
}

export const SVG = "http://www.w3.org/2000/svg";

export function svg(tag, attributes = {}, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/// "1d 02:03:04", "02:03:04" for a number of seconds.
export function duration(seconds) {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) return "—";
  seconds = Math.max(0, Math.floor(seconds));
  const days = Math.floor(seconds / 86400);
  const pad = (n) => String(n).padStart(2, "0");
  const clock = `${pad(Math.floor(seconds / 3600) % 24)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  return days > 0 ? `${days}d ${clock}` : clock;
}

/// An ISO 8601 time from the API as the viewer's local "2026-12-01 10:00:00", "—" for null.
export function when(iso) {
  if (!iso) return "—";
  const time = new Date(iso);
  if (isNaN(time)) return String(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())} ` +
         `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
}

export function text(value) {
  return value === null || value === undefined || value === "" ? "—" : String(value);
}

/// Replaces a table's head and body: `columns` are {key, label, num}, `cells(row)` a list of
/// nodes or strings in the same order.
export function fill_table(table, columns, rows, cells, empty = "nothing to show") {
  const head = h("tr", {}, ...columns.map((c) => h("th", { class: c.num ? "num" : null, scope: "col", text: c.label })));
  table.tHead.replaceChildren(head);
  const body = rows.length
    ? rows.map((row) => h("tr", {}, ...cells(row).map((cell, i) =>
        h("td", { class: columns[i].num ? "num" : columns[i].cls }, cell))))
    : [h("tr", {}, h("td", { class: "empty", colspan: columns.length, text: empty }))];
  table.tBodies[0].replaceChildren(...body);
}
