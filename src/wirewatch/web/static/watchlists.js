// Watchlists: save and delete with the analyst's token (POST/DELETE /api/watchlists).
(function () {
  "use strict";
  const form = document.getElementById("watchlist-form");
  if (!form) return;
  const msg = form.querySelector(".review-msg");
  function token() {
    let t = localStorage.getItem("wirewatch-token");
    if (!t) {
      t = window.prompt("API token (wirewatch token create --name NAME):");
      if (t) localStorage.setItem("wirewatch-token", t.trim());
    }
    return t;
  }
  async function send(method, url, body) {
    const t = token();
    if (!t) { msg.textContent = "a token is needed"; return null; }
    const res = await fetch(url, {
      method: method, body: body ? JSON.stringify(body) : undefined,
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + t },
    });
    const out = await res.json();
    if (!res.ok) {
      if (res.status === 401) localStorage.removeItem("wirewatch-token");
      msg.textContent = (out.error && out.error.message) || "failed";
      return null;
    }
    return out;
  }
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    const data = new FormData(form);
    const body = {};
    ["name", "actor", "type", "place", "q"].forEach(function (k) { body[k] = String(data.get(k) || "").trim() || null; });
    msg.textContent = "saving…";
    if (await send("POST", "/api/watchlists", body)) window.location.assign("/watchlists");
  });
  document.addEventListener("click", async function (ev) {
    const b = ev.target.closest && ev.target.closest("button.wl-delete");
    if (!b) return;
    if (await send("DELETE", "/api/watchlists/" + encodeURIComponent(b.dataset.name))) window.location.reload();
  });
})();
