// The page at `/`: wires the views to the URL's state, the API and its live events.
import { call, token } from "./api.js";
import { h } from "./dom.js";
import { listen } from "./events.js";
import { RANGES, draw_graph, pool_key, pool_label } from "./graph.js";
import { show_audit, show_denials, show_plan, show_servers } from "./panels.js";
import { read_state, write_state } from "./state.js";
import { aggregate, arrange, columns_for, draw_grid, tick } from "./sessions.js";

const $ = (id) => document.getElementById(id);
const CLOSERS = ["operator", "admin"];

let state = read_state();
let me = null;              // {name, role} of the token in use, null without one
let can_close = new Set();  // servers whose adapter can close sessions
let sessions = [];          // the open sessions of the picked user or group
let closing = new Set();    // session ids closed here, struck through until a poll drops them
let live = false;

function say(message, kind = "info") {
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

async function load_sessions() {
  const [all, groups, servers] = await Promise.all([
    call("/api/v1/sessions"), call("/api/v1/groups"), call("/api/v1/servers")]);
  can_close = new Set(servers.filter((s) => s.can_close).map((s) => s.id));
  const users = [...new Set(all.map((s) => s.user))].sort((a, b) => a.localeCompare(b));
  if (state.user && !users.includes(state.user)) users.push(state.user);
  set_options($("pick-user"), users.map((u) => [u, u]), h("option", { value: "", text: "(every user)" }));
  set_options($("pick-group"), groups.map((g) => [g.name, `${g.name} (${g.users.length})`]),
              h("option", { value: "", text: "(no group)" }));
  $("pick-user").value = state.user;
  $("pick-group").value = state.group;
  // The host resolves group members (also from the system's groups): ask it.
  sessions = state.group ? await call(`/api/v1/sessions?group=${encodeURIComponent(state.group)}`) : all;
  if (state.user) sessions = sessions.filter((s) => s.user === state.user);
  const open = new Set(sessions.map((s) => s.id));
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
  const columns = columns_for(state);
  const rows = state.agg ? aggregate(sessions, state.agg === "feature-user") : sessions;
  const shown = arrange(rows, columns, state);
  const { page, pages } = draw_grid($("grid"), shown, columns, state, sort_by, x_button);
  for (const row of $("grid").tBodies[0].rows)
    if (closing.has(Number(row.getAttribute("data-id")))) row.classList.add("closing");
  const licenses = sessions.reduce((sum, s) => sum + (s.count || 1), 0);
  $("summary").textContent = `${shown.length} of ${rows.length} rows · ${sessions.length} sessions, ` +
                             `${licenses} licenses`;
  $("page-info").textContent = `page ${page} of ${pages}`;
  $("prev").disabled = page <= 1;
  $("next").disabled = page >= pages;
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
  const confirmed = await new Promise((resolve) => {
    const done = (answer) => (event) => {
      event.preventDefault();
      $("close-form").removeEventListener("submit", yes);
      $("close-cancel").removeEventListener("click", no);
      dialog.removeEventListener("cancel", no);
      dialog.close();
      resolve(answer);
    };
    const yes = done(true), no = done(false);
    $("close-form").addEventListener("submit", yes);
    $("close-cancel").addEventListener("click", no);
    dialog.addEventListener("cancel", no);
    dialog.showModal();
    $("close-cancel").focus();
  });
  if (!confirmed) return;
  const reason = $("close-reason").value.trim();
  try {
    const answer = await call(`/api/v1/sessions/${session.id}/close`, {
      method: "POST", body: reason ? { reason } : {}, keep: [404, 409, 502] });
    await load_identity();
    if (answer.outcome === "closed" || answer.outcome === "already_closed") {
      closing.add(session.id);
      say(`Closed ${session.feature} of ${session.user} on ${session.server_id}; ` +
          `the row goes at the next poll.`);
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
      if ($("message").getAttribute("data-kind") === "error") say("");
    } catch (error) {
      say(error.message, "error");
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

// Changes the state; redraws from what is loaded when no new data is needed.
function update(changes, reload = false) {
  state = write_state(changes);
  show_view();
  if (reload || "view" in changes || "range" in changes || "pool" in changes) refresh();
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
  $("prev").addEventListener("click", () => update({ page: String((parseInt(state.page, 10) || 1) - 1) }));
  $("next").addEventListener("click", () => update({ page: String((parseInt(state.page, 10) || 1) + 1) }));
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
