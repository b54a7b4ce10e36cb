// Review forms on every fact card: POST /api/reviews with the analyst's token.
// The token is kept in localStorage on this machine only; nothing from the page is
// inserted as HTML (textContent only).
(function () {
  "use strict";
  function token() {
    let t = localStorage.getItem("wirewatch-token");
    if (!t) {
      t = window.prompt("API token for reviews (wirewatch token create --name NAME):");
      if (t) localStorage.setItem("wirewatch-token", t.trim());
    }
    return t;
  }
  document.addEventListener("submit", async function (ev) {
    const form = ev.target;
    if (!form.matches("form.review")) return;
    ev.preventDefault();
    const msg = form.querySelector(".review-msg");
    const data = new FormData(form);
    const action = data.get("action");
    const body = {
      target_type: form.dataset.targetType, target_id: form.dataset.targetId, action: action,
      reviewer: data.get("reviewer"), comment: data.get("comment") || null,
    };
    const reviewer = String(data.get("reviewer") || "");
    if (reviewer) localStorage.setItem("wirewatch-reviewer", reviewer);
    if (action === "edit") {
      if (!data.get("field")) { msg.textContent = "choose a field to edit"; return; }
      body.payload = { fields: { [data.get("field")]: data.get("value") } };
    } else if (action === "merge") {
      body.payload = { into: data.get("value") };
    }
    const t = token();
    if (!t) { msg.textContent = "a token is needed"; return; }
    msg.textContent = "saving…";
    try {
      const res = await fetch("/api/reviews", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Authorization": "Bearer " + t },
        body: JSON.stringify(body),
      });
      const out = await res.json();
      if (!res.ok) {
        if (res.status === 401) localStorage.removeItem("wirewatch-token");
        msg.textContent = (out.error && out.error.message) || "failed";
        return;
      }
      msg.textContent = "saved";
      window.location.reload();
    } catch (e) {
      msg.textContent = "network error";
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    const who = localStorage.getItem("wirewatch-reviewer");
    if (who) document.querySelectorAll("form.review input[name=reviewer]").forEach(function (i) { i.value = who; });
  });
})();
