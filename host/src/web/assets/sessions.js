// The Sessions grid: open sessions (or their sums per feature, or per feature and user) for the
// picked user or group, sorted, filtered and paged in the browser; the "X" closes one.
import { h, duration, when, text } from "./dom.js";

export const PAGE_SIZE = 100;

const now_s = () => Date.now() / 1000;
const seconds_since = (iso) => (iso ? now_s() - Date.parse(iso) / 1000 : null);

// Every column of the session view; `value` sorts and filters, `cell` draws.
const SESSION_COLUMNS = [
  { key: "server_id", label: "License server" },
  { key: "vendor", label: "Vendor" },
  { key: "feature", label: "Feature" },
  { key: "version", label: "Version" },
  { key: "user", label: "User" },
  { key: "host", label: "Host" },
  { key: "host_ip", label: "Host IP", optional: "ip" },
  { key: "count", label: "Licenses", num: true },
  { key: "checkout_time", label: "Checkout", cls: "time", cell: (s) => when(s.checkout_time) },
  { key: "duration", label: "Duration", num: true,
    value: (s) => seconds_since(s.checkout_time || s.first_seen),
    cell: (s) => h("span", { class: "tick", "data-since": s.checkout_time || s.first_seen || "",
                             text: duration(seconds_since(s.checkout_time || s.first_seen)) }) },
  { key: "borrow_expiry", label: "Borrow expiry", cls: "time", cell: (s) => when(s.borrow_expiry) },
  // Reported by a workstation agent; absent until one does.
  { key: "idle_seconds", label: "Idle", num: true, cell: (s) => (s.idle_seconds == null ? "—" : duration(s.idle_seconds)) },
  { key: "app", label: "App" },
];

const FEATURE_COLUMNS = [
  { key: "server_id", label: "License server" },
  { key: "vendor", label: "Vendor" },
  { key: "feature", label: "Feature" },
  { key: "user", label: "User", per_user: true },
  { key: "sessions", label: "Sessions", num: true },
  { key: "licenses", label: "Licenses", num: true },
];

/// Sums of `sessions` per (server, vendor, feature[, user]).
export function aggregate(sessions, with_user) {
  const sums = new Map();
  for (const s of sessions) {
    const key = [s.server_id, s.vendor, s.feature, with_user ? s.user : ""].join("\u0000");
    const row = sums.get(key) ||
      { server_id: s.server_id, vendor: s.vendor, feature: s.feature, user: s.user, sessions: 0, licenses: 0 };
    row.sessions += 1;
    row.licenses += s.count || 1;
    sums.set(key, row);
  }
  return [...sums.values()];
}

export function columns_for(state) {
  if (state.agg) return FEATURE_COLUMNS.filter((c) => !c.per_user || state.agg === "feature-user");
  return SESSION_COLUMNS.filter((c) => !c.optional || state[c.optional]);
}

const value_of = (column, row) => (column.value ? column.value(row) : row[column.key]);

const blank = (v) => v === null || v === undefined || v === "";

function compare(a, b) {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: "base" });
}

/// The rows to show: filtered by `state.q` (any column's text), sorted by `state.sort`.
export function arrange(rows, columns, state) {
  const needle = state.q.trim().toLowerCase();
  const shown = needle
    ? rows.filter((row) => columns.some((c) => !c.value && String(row[c.key] ?? "").toLowerCase().includes(needle)))
    : rows.slice();
  const column = columns.find((c) => c.key === state.sort);
  if (column) {
    const sign = state.dir === "desc" ? -1 : 1;
    shown.sort((a, b) => {
      const x = value_of(column, a), y = value_of(column, b);
      if (blank(x) || blank(y)) return blank(x) - blank(y); // blanks last either way
      return compare(x, y) * sign;
    });
  }
  return shown;
}

/// Draws the head (sort buttons) and one page of `rows` into `table`.
/// `action(row)`: the Action cell's node (an "X") or null.
export function draw_grid(table, rows, columns, state, on_sort, action) {
  const with_action = !state.agg;
  const head = h("tr", {},
    ...columns.map((c) => {
      const sorted = state.sort === c.key ? (state.dir === "desc" ? "descending" : "ascending") : null;
      return h("th", { scope: "col", class: c.num ? "num" : null, "aria-sort": sorted, "data-key": c.key },
        h("button", { type: "button", text: c.label, onclick: () => on_sort(c.key) }));
    }),
    with_action ? h("th", { scope: "col", text: "Action" }) : null);
  table.tHead.replaceChildren(head);

  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, parseInt(state.page, 10) || 1), pages);
  const slice = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const body = slice.map((row) => h("tr", { "data-id": row.id },
    ...columns.map((c) => h("td", { class: c.num ? "num" : c.cls }, c.cell ? c.cell(row) : text(row[c.key]))),
    with_action ? h("td", {}, action(row)) : null));
  if (!body.length)
    body.push(h("tr", {}, h("td", { class: "empty", colspan: columns.length + (with_action ? 1 : 0),
                                    text: "no open sessions match" })));
  table.tBodies[0].replaceChildren(...body);
  return { page, pages };
}

/// Advances every "Duration" cell on the page by the clock, without a request.
export function tick(table) {
  for (const cell of table.querySelectorAll("span.tick")) {
    const since = cell.getAttribute("data-since");
    if (since) cell.textContent = duration(seconds_since(since));
  }
}
