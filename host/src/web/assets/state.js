// The page's state in the URL's hash (#view=sessions&group=cad&agg=feature...), so that a view
// can be shared by its address.

const DEFAULTS = {
  view: "sessions", user: "", group: "", agg: "", q: "", sort: "", dir: "asc", page: "1",
  ip: "", pool: "", range: "hour",
};

export function read_state() {
  const params = new URLSearchParams(location.hash.slice(1));
  const state = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) if (params.has(key)) state[key] = params.get(key);
  return state;
}

/// Writes `changes` into the hash; only the values that differ from the defaults are kept.
export function write_state(changes) {
  const state = { ...read_state(), ...changes };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state))
    if (value !== DEFAULTS[key] && value !== "") params.set(key, value);
  const hash = "#" + params.toString();
  if (hash !== location.hash) history.replaceState(null, "", hash);
  return state;
}
