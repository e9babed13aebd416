// The page at `/`: wires the views to the URL's state, the API and its live events.
import { call, call_page, token } from "./api.js";
import { h } from "./dom.js";
import { listen } from "./events.js";
import { RANGES, draw_graph, pool_key, pool_label } from "./graph.js";
import { show_audit, show_denials, show_plan, show_servers } from "./panels.js";
import { read_state, write_state } from "./state.js";
import { PAGE_SIZE, columns_for, draw_grid, sort_param, tick } from "./sessions.js";

const $ = (id) => document.getElementById(id);
const CLOSERS = ["operator", "admin"];

let state = read_state();
let me = null;              // {name, role} of the token in use, null without one
let can_close = new Set();  // servers whose adapter can close sessions
const USER_LIST_MS = 60000;
let user_names = { at: -Infinity, names: [] }; // the user picker's, and when they were asked
let shown = { rows: [], total: 0, all: 0, page: 1, sessions: 0, licenses: 0 }; // the grid's page
let closing = new Set();    // session ids closed here, struck through until a poll drops them
let live = false;
let load_failed = false;    // the message is refresh()'s error: the next good refresh clears it

// A close's outcome stays until the next message; refresh() only clears its own errors.
function say(message, kind = "info") {
  load_failed = false;
  $("message").textContent = message;
  $("message").setAttribute("data-kind", kind);
}

function set_options(select, values, first) {
  const keep = select.value;
  select.replaceChildren(first, ...values.map(([value, label]) => h("option", { value, text: label })));
  select.value = values.some(([value]) => value === keep) ? keep : "";
}

async function load_identity() {
  me = await call("/api/v1/whoami");
  $("who").textContent = me ? `token ${me.name} (${me.role})` : token() ? "" : "reading without a token";
}

// The picked user and group as API parameters (both set: the group's rows of that user).
function scope() {
  const query = new URLSearchParams();
  if (state.user) query.set("user", state.user);
  if (state.group) query.set("group", state.group);
  return query;
}

// The grid asks the host for what it shows: one page of rows (or of their sums), sorted and
// filtered there, and the counts of "N of M"; never the whole list.
async function load_sessions() {
  // The picker's users sum every open session on the host: asked at most once a minute.
  const stale = Date.now() - user_names.at >= USER_LIST_MS;
  const [users, groups, servers] = await Promise.all([
    stale ? call("/api/v1/sessions/summary?by=user") : null, call("/api/v1/groups"), call("/api/v1/servers")]);
  can_close = new Set(servers.filter((s) => s.can_close).map((s) => s.id));
  if (users) user_names = { at: Date.now(), names: users.map((u) => u.user).sort((a, b) => a.localeCompare(b)) };
  const names = [...user_names.names];
  if (state.user && !names.includes(state.user)) names.push(state.user);
  set_options($("pick-user"), names.map((u) => [u, u]), h("option", { value: "", text: "(every user)" }));
  set_options($("pick-group"), groups.map((g) => [g.name, `${g.name} (${g.users.length})`]),
              h("option", { value: "", text: "(no group)" }));
  $("pick-user").value = state.user;
  $("pick-group").value = state.group;

  const q = state.q.trim();
  const list = state.agg ? `/api/v1/sessions/summary?by=${state.agg === "feature-user" ? "feature,user" : "feature"}&`
                         : "/api/v1/sessions?";
  const rows_of = (page, with_q) => {
    const query = scope();
    if (with_q && q) query.set("q", q);
    const sort = sort_param(columns_for(state), state);
    if (sort) query.set("sort", sort);
    query.set("limit", String(PAGE_SIZE));
    query.set("offset", String((page - 1) * PAGE_SIZE));
    query.set("total", "1");
    return call_page(list + query);
  };
  let page = Math.max(1, parseInt(state.page, 10) || 1);
  const [listed, [totals]] = await Promise.all([rows_of(page, true), call(`/api/v1/sessions/summary?${scope()}`)]);
  let answer = listed;
  const pages = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
  if (page > pages) { // fewer rows than when the page was picked: its last page
    page = pages;
    answer = await rows_of(page, true);
  }
  // M of "N of M": the rows without the filter box (the sessions themselves, or their sums).
  const all = !q ? answer.total : state.agg ? (await rows_of(1, false)).total : totals.sessions;
  shown = { rows: answer.rows, total: answer.total, all, page, pages, ...totals };
  const open = new Set(shown.rows.map((s) => s.id));
  closing = new Set([...closing].filter((id) => open.has(id)));
}

function x_button(session) {
  const role_may = me ? CLOSERS.includes(me.role) : true; // without a token: asks for one
  if (!role_may || !can_close.has(session.server_id)) return null;
  return h("button", {
    type: "button", class: "x", text: "X", disabled: closing.has(session.id),
    "aria-label": `Close ${session.feature} of ${session.user} on ${session.server_id}`,
    onclick: () => confirm_close(session),
  });
}

function draw_sessions() {
  draw_grid($("grid"), shown.rows, columns_for(state), state, sort_by, x_button);
  for (const row of $("grid").tBodies[0].rows)
    if (closing.has(Number(row.getAttribute("data-id")))) row.classList.add("closing");
  $("summary").textContent = `${shown.total} of ${shown.all} rows · ${shown.sessions} sessions, ` +
                             `${shown.licenses} licenses`;
  $("page-info").textContent = `page ${shown.page} of ${shown.pages}`;
  $("prev").disabled = shown.page <= 1;
  $("next").disabled = shown.page >= shown.pages;
}

function sort_by(key) {
  const dir = state.sort === key && state.dir === "asc" ? "desc" : "asc";
  update({ sort: key, dir, page: "1" });
}

async function confirm_close(session) {
  const dialog = $("close-dialog");
  $("close-text").textContent =
    `${session.user} on ${session.host || "?"}: ${session.feature} (${session.count || 1} ` +
    `license${(session.count || 1) > 1 ? "s" : ""}) on server ${session.server_id}.`;
  $("close-reason").value = "";
  // "" (Close session: release now), or the method of the button that sent the form.
  const method = await new Promise((resolve) => {
    const done = (answer) => (event) => {
      event.preventDefault();
      if (answer) answer = event.submitter?.value || "release-now";
      $("close-form").removeEventListener("submit", yes);
      $("close-cancel").removeEventListener("click", no);
      dialog.removeEventListener("cancel", no);
      dialog.close();
      resolve(answer);
    };
    const yes = done(true), no = done(null);
    $("close-form").addEventListener("submit", yes);
    $("close-cancel").addEventListener("click", no);
    dialog.addEventListener("cancel", no);
    dialog.showModal();
    $("close-cancel").focus();
  });
  if (!method) return;
  const reason = $("close-reason").value.trim();
  const body = reason ? { reason } : {};
  if (method !== "release-now") body.method = method;
  const what = `${session.feature} of ${session.user} on ${session.server_id}`;
  try {
    const answer = await call(`/api/v1/sessions/${session.id}/close`, {
      method: "POST", body, keep: [404, 409, 502] });
    await load_identity();
    if (answer.outcome === "closed" || answer.outcome === "already_closed") {
      closing.add(session.id);
      say(`Closed ${what}; the row goes at the next poll.`);
    } else if (answer.outcome === "started") {
      closing.add(session.id);
      say(`Asked the agent on ${session.host || "the workstation"} to save and close ${what}; ` +
          `the row goes once the license is released (see the audit log).`);
    } else if (answer.outcome === "no_agent") {
      say(`Not closed: no workstation agent of ${session.user} on ${session.host || "?"} offers ` +
          `"save and close" for ${session.feature}. Use "Close session" to release it now.`, "error");
    } else {
      say(`Not closed (${answer.outcome}): ${answer.message || answer.error || ""}`, "error");
    }
    draw_sessions();
  } catch (error) {
    say(`Not closed: ${error.message}`, "error");
  }
}

async function draw_usage() {
  const to = Date.now(), from = to - RANGES[state.range] * 1000;
  const query = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  if (state.user) query.set("user", state.user);
  else if (state.group) query.set("group", state.group);
  const answer = await call(`/api/v1/usage?${query}`, { allow: [404] });
  const graph = $("graph");
  if (answer.status === 404) {
    graph.replaceChildren();
    $("pick-pool").replaceChildren();
    $("graph-note").textContent = "no history yet";
    return;
  }
  const pools = answer.pools || [];
  set_options($("pick-pool"), pools.map((p) => [pool_key(p), pool_label(p)]),
              h("option", { value: "", text: "(first pool)" }));
  $("pick-pool").value = state.pool;
  // Without a pick, the first pool that has history in the range.
  const pool = pools.find((p) => pool_key(p) === state.pool) ||
               pools.find((p) => p.points && p.points.length) || pools[0];
  $("graph-note").textContent = pool ? draw_graph(graph, pool, Date.parse(answer.from) || from,
                                                   Date.parse(answer.to) || to)
                                     : "no history yet";
  if (!pool) graph.replaceChildren();
}

const VIEWS = {
  sessions: async () => {
    await load_sessions();
    draw_sessions();
    await draw_usage();
  },
  servers: () => show_servers($("servers")),
  audit: () => show_audit($("audit")),
  denials: () => show_denials($("denials")),
  plan: () => show_plan($("plan"), $("plan-summary")),
};

let refreshing = null, again = false;
async function refresh() {
  if (refreshing) { again = true; return refreshing; }
  refreshing = (async () => {
    try {
      await (VIEWS[state.view] || VIEWS.sessions)();
      if (load_failed) say("");
    } catch (error) {
      say(error.message, "error");
      load_failed = true;
    }
  })();
  await refreshing;
  refreshing = null;
  if (again) { again = false; refresh(); }
}

function show_view() {
  for (const section of document.querySelectorAll("section.view"))
    section.hidden = section.id !== `view-${state.view}`;
  for (const link of document.querySelectorAll("nav a")) {
    if (link.getAttribute("data-view") === state.view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  $("pick-agg").value = state.agg;
  $("filter").value = state.q;
  $("show-ip").checked = state.ip === "1";
  $("pick-range").value = state.range;
}

// What the host answers differently: the grid's rows, sums, order, filter and page, the graph.
const ASKS_HOST = ["view", "range", "pool", "agg", "q", "sort", "dir", "page"];

// Changes the state; redraws from what is loaded when no new data is needed (Host IP).
function update(changes, reload = false) {
  state = write_state(changes);
  show_view();
  if (reload || ASKS_HOST.some((key) => key in changes)) refresh();
  else if (state.view === "sessions") draw_sessions();
}

function wire() {
  for (const link of document.querySelectorAll("nav a"))
    link.addEventListener("click", (event) => {
      event.preventDefault();
      update({ view: link.getAttribute("data-view") });
    });
  $("pick-user").addEventListener("change", (e) => update({ user: e.target.value, group: "", page: "1" }, true));
  $("pick-group").addEventListener("change", (e) => update({ group: e.target.value, user: "", page: "1" }, true));
  $("pick-agg").addEventListener("change", (e) => update({ agg: e.target.value, sort: "", page: "1" }));
  $("filter").addEventListener("input", (e) => update({ q: e.target.value, page: "1" }));
  $("show-ip").addEventListener("change", (e) => update({ ip: e.target.checked ? "1" : "" }));
  $("prev").addEventListener("click", () => update({ page: String(shown.page - 1) }));
  $("next").addEventListener("click", () => update({ page: String(shown.page + 1) }));
  $("pick-range").addEventListener("change", (e) => update({ range: e.target.value }));
  $("pick-pool").addEventListener("change", (e) => update({ pool: e.target.value }));
  window.addEventListener("hashchange", () => { state = read_state(); show_view(); refresh(); });
}

async function main() {
  wire();
  show_view();
  try {
    await load_identity();
  } catch (error) {
    say(error.message, "error");
    load_failed = true;
  }
  await refresh();
  setInterval(() => tick($("grid")), 1000);
  let pending = null;
  listen(() => {
    // Many servers poll at their own times: at most one refresh a second, after the first
    // event of the second, for all of them.
    if (pending) return;
    pending = setTimeout(() => { pending = null; refresh(); }, 1000);
  }, (now, why) => {
    live = now === "on";
    $("live").setAttribute("data-state", now);
    $("live").textContent = live ? "live" : `live: off (${why})`;
  });
  // Without the stream (too many listeners, no token yet) the page still follows, slower.
  setInterval(() => { if (!live) refresh(); }, 10000);
}

main();
