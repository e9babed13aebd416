// Calls to the host's API. The token (when a call answers 401) is asked for once and kept in
// sessionStorage, sent as "Authorization: Bearer"; it never goes into a URL.

const TOKEN_KEY = "lmharvest.token";
let asking = null; // the one token dialog open at a time, shared by every waiting call

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

export function auth_headers() {
  const value = token();
  return value ? { Authorization: `Bearer ${value}` } : {};
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function ask_token(reason) {
  if (asking) return asking;
  const dialog = document.getElementById("token-dialog");
  const form = document.getElementById("token-form");
  const input = document.getElementById("token-input");
  document.getElementById("token-reason").textContent = reason;
  input.value = "";
  asking = new Promise((resolve) => {
    const finish = (value) => {
      form.removeEventListener("submit", submit);
      cancel_button.removeEventListener("click", cancel);
      dialog.removeEventListener("cancel", cancel);
      dialog.close();
      asking = null;
      resolve(value);
    };
    const submit = (event) => {
      event.preventDefault();
      finish(input.value.trim());
    };
    const cancel = (event) => {
      event.preventDefault();
      finish("");
    };
    const cancel_button = document.getElementById("token-cancel");
    form.addEventListener("submit", submit);
    cancel_button.addEventListener("click", cancel);
    dialog.addEventListener("cancel", cancel);
    dialog.showModal();
    input.focus();
  });
  return asking;
}

async function error_of(response) {
  try {
    const body = await response.json();
    if (body && body.error) return body.error;
  } catch (_) { /* not JSON */ }
  return `${response.status} ${response.statusText}`;
}

// The answer of `path` after the token dance: on 401 asks for a token and tries again.
async function answer_of(path, options) {
  for (;;) {
    const response = await fetch(path, {
      method: options.method || "GET",
      headers: { Accept: "application/json", ...auth_headers(),
                 ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}) },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      cache: "no-store",
    });
    if ((options.allow || []).includes(response.status)) return response;
    if (response.status === 401) {
      const reason = await error_of(response);
      const given = await ask_token(reason);
      if (!given) throw new ApiError(401, reason);
      sessionStorage.setItem(TOKEN_KEY, given);
      continue;
    }
    if (!response.ok && !(options.keep || []).includes(response.status))
      throw new ApiError(response.status, await error_of(response));
    return response;
  }
}

/// The JSON answer of `path`; on 401 asks for a token and tries again. `options.allow` lists
/// statuses returned as {status} instead of thrown (404 for a route not there yet).
export async function call(path, options = {}) {
  const response = await answer_of(path, options);
  if ((options.allow || []).includes(response.status)) return { status: response.status };
  return response.json();
}

/// A page of a list asked with `total=1`: its rows and X-Total-Count (every row that matches,
/// before paging).
export async function call_page(path) {
  const response = await answer_of(path, {});
  return { rows: await response.json(), total: Number(response.headers.get("X-Total-Count")) };
}
