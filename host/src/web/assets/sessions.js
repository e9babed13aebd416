// The Sessions grid: one page of open sessions (or of their sums per feature, or per feature and
// user) for the picked user or group, as the host sorted, filtered and paged them; the "X"
// closes one.
import { h, duration, when, text } from "./dom.js";

export const PAGE_SIZE = 100;

const now_s = () => Date.now() / 1000;
const seconds_since = (iso) => (iso ? now_s() - Date.parse(iso) / 1000 : null);

// Every column of the session view; `sort` is the API's sort column (a leading "-": the
// other way round), absent where the host cannot sort; `cell` draws.
const SESSION_COLUMNS = [
  { key: "server_id", label: "License server", sort: "server" },
  { key: "vendor", label: "Vendor", sort: "vendor" },
  { key: "feature", label: "Feature", sort: "feature" },
  { key: "version", label: "Version", sort: "version" },
  { key: "user", label: "User", sort: "user" },
  { key: "host", label: "Host", sort: "host" },
  { key: "host_ip", label: "Host IP", optional: "ip", sort: "host_ip" },
  { key: "count", label: "Licenses", num: true, sort: "count" },
  { key: "checkout_time", label: "Checkout", cls: "time", sort: "checkout_time",
    cell: (s) => when(s.checkout_time) },
  { key: "duration", label: "Duration", num: true, sort: "-checkout_time", // longest: oldest
    cell: (s) => h("span", { class: "tick", "data-since": s.checkout_time || s.first_seen || "",
                             text: duration(seconds_since(s.checkout_time || s.first_seen)) }) },
  { key: "borrow_expiry", label: "Borrow expiry", cls: "time", cell: (s) => when(s.borrow_expiry) },
  // Reported by a workstation agent; absent until one does.
  { key: "idle_seconds", label: "Idle", num: true, cell: (s) => (s.idle_seconds == null ? "—" : duration(s.idle_seconds)) },
  { key: "app", label: "App" },
];

const FEATURE_COLUMNS = [
  { key: "server_id", label: "License server", sort: "server" },
  { key: "vendor", label: "Vendor", sort: "vendor" },
  { key: "feature", label: "Feature", sort: "feature" },
  { key: "user", label: "User", per_user: true, sort: "user" },
  { key: "sessions", label: "Sessions", num: true, sort: "sessions" },
  { key: "licenses", label: "Licenses", num: true, sort: "licenses" },
];

export function columns_for(state) {
  if (state.agg) return FEATURE_COLUMNS.filter((c) => !c.per_user || state.agg === "feature-user");
  return SESSION_COLUMNS.filter((c) => !c.optional || state[c.optional]);
}

/// The API's `sort` for the state's column and direction ("" for the host's own order, by id).
export function sort_param(columns, state) {
  const column = columns.find((c) => c.key === state.sort && c.sort);
  if (!column) return "";
  const [descending, name] = column.sort.startsWith("-") ? [true, column.sort.slice(1)] : [false, column.sort];
  return (descending !== (state.dir === "desc") ? "-" : "") + name;
}

/// Draws the head (sort buttons where the host can sort) and the page's `rows` into `table`.
/// `action(row)`: the Action cell's node (an "X") or null.
export function draw_grid(table, rows, columns, state, on_sort, action) {
  const with_action = !state.agg;
  const head = h("tr", {},
    ...columns.map((c) => {
      const sorted = state.sort === c.key ? (state.dir === "desc" ? "descending" : "ascending") : null;
      return h("th", { scope: "col", class: c.num ? "num" : null, "aria-sort": sorted, "data-key": c.key },
        c.sort ? h("button", { type: "button", text: c.label, onclick: () => on_sort(c.key) }) : c.label);
    }),
    with_action ? h("th", { scope: "col", text: "Action" }) : null);
  table.tHead.replaceChildren(head);

  const body = rows.map((row) => h("tr", { "data-id": row.id },
    ...columns.map((c) => h("td", { class: c.num ? "num" : c.cls }, c.cell ? c.cell(row) : text(row[c.key]))),
    with_action ? h("td", {}, action(row)) : null));
  if (!body.length)
    body.push(h("tr", {}, h("td", { class: "empty", colspan: columns.length + (with_action ? 1 : 0),
                                    text: "no open sessions match" })));
  table.tBodies[0].replaceChildren(...body);
}

/// Advances every "Duration" cell on the page by the clock, without a request.
export function tick(table) {
  for (const cell of table.querySelectorAll("span.tick")) {
    const since = cell.getAttribute("data-since");
    if (since) cell.textContent = duration(seconds_since(since));
  }
}
