// Live updates from GET /api/v1/events (server-sent events). Read with fetch() and a stream
// reader rather than EventSource, which cannot send the Authorization header: the token stays
// in a header, never in the URL.
import { auth_headers } from "./api.js";

/// Calls `on_poll(event)` for every finished poll, `on_state("on"|"off", why)` when the stream
/// comes and goes; reconnects by itself.
export function listen(on_poll, on_state) {
  let retry_ms = 5000;
  const connect = async () => {
    try {
      const response = await fetch("/api/v1/events", {
        headers: { Accept: "text/event-stream", ...auth_headers() }, cache: "no-store" });
      if (!response.ok) {
        // 401 until a token is given; 503 when too many listen (Retry-After).
        const after = parseInt(response.headers.get("Retry-After") || "", 10);
        retry_ms = isFinite(after) ? after * 1000 : 5000;
        on_state("off", response.status === 503 ? "too many listeners" : `answer ${response.status}`);
        return;
      }
      on_state("on");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let name = "message", data = "";
          for (const line of frame.split("\n")) {
            if (line.startsWith("event:")) name = line.slice(6).trim();
            else if (line.startsWith("data:")) data += line.slice(5).trim();
            else if (line.startsWith("retry:")) retry_ms = parseInt(line.slice(6), 10) || retry_ms;
          }
          if (name === "poll" && data) on_poll(JSON.parse(data));
        }
      }
      on_state("off", "stream ended");
    } catch (error) {
      on_state("off", String(error.message || error));
    } finally {
      setTimeout(connect, retry_ms);
    }
  };
  connect();
}
