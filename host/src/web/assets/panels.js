// The views beside Sessions: servers at a glance, the audit log, denials, the harvest plan.
import { call } from "./api.js";
import { h, fill_table, when, text } from "./dom.js";

const col = (key, label, extra = {}) => ({ key, label, ...extra });

export async function show_servers(table) {
  const servers = await call("/api/v1/servers");
  fill_table(table,
    [col("id", "Server"), col("adapter", "Adapter"), col("address", "Address"), col("state", "State"),
     col("last_poll_time", "Last poll"), col("last_ok_time", "Last good poll"),
     col("latency_ms", "Latency ms", { num: true }), col("error", "Last error"),
     col("can_close", "Can close")],
    servers,
    (s) => [s.id, s.adapter, s.address, h("span", { class: `state-${s.state}`, text: s.state }),
            when(s.last_poll_time), when(s.last_ok_time), text(s.latency_ms), text(s.error),
            s.can_close ? "yes" : "no"],
    "no server configured");
}

export async function show_audit(table) {
  const actions = await call("/api/v1/actions?limit=200");
  fill_table(table,
    [col("time", "Time"), col("actor", "Actor"), col("kind", "Kind"), col("server_id", "Server"),
     col("user", "User"), col("feature", "Feature"), col("outcome", "Outcome"), col("dry_run", "Dry run"),
     col("message", "Message")],
    actions,
    (a) => [when(a.time), a.actor, a.kind, a.server_id, a.user, a.feature, a.outcome,
            a.dry_run ? "yes" : "no", text(a.message)],
    "no action yet");
}

export async function show_denials(table) {
  const denials = await call("/api/v1/denials?limit=500");
  fill_table(table,
    [col("time", "Time"), col("server_id", "Server"), col("kind", "Kind"), col("vendor", "Vendor"),
     col("feature", "Feature"), col("user", "User"), col("host", "Host"),
     col("count", "Count", { num: true }), col("reason", "Reason")],
    denials,
    (d) => [when(d.time), d.server_id, d.kind, text(d.vendor), d.feature, text(d.user), text(d.host),
            String(d.count), text(d.reason)],
    "no denial recorded");
}

export async function show_plan(table, summary) {
  const plan = await call("/api/v1/harvest/plan");
  const entries = plan.entries || [];
  summary.textContent = `${entries.length} sessions planned, ${plan.closes ?? 0} to close`;
  fill_table(table,
    [col("server_id", "Server"), col("feature", "Feature"), col("user", "User"), col("host", "Host"),
     col("close", "Close"), col("reason", "Reason")],
    entries,
    (e) => [text(e.server_id), text(e.feature), text(e.user), text(e.host), e.close ? "yes" : "no",
            text(e.reason)],
    "nothing planned");
}
