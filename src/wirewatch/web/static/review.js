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

  // One review as JSON: {ok, status, body}. The reviewer is the one named last on this
  // machine (asked once), else the token's name on the server.
  async function post(body) {
    const t = token();
    if (!t) return { ok: false, status: 401, body: { error: { message: "a token is needed" } } };
    if (!body.reviewer) body.reviewer = localStorage.getItem("wirewatch-reviewer") || null;
    const res = await fetch("/api/reviews", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + t },
      body: JSON.stringify(body),
    });
    const out = await res.json();
    if (res.status === 401) localStorage.removeItem("wirewatch-token");
    return { ok: res.ok, status: res.status, body: out };
  }
  window.wirewatchReview = { post: post };

  // Who did what: pick stored actors by name (suggestions from /api/suggest/actors), then
  // save the event's actors and recipients, or the quote's speaker, as actor ids.
  let list = null;
  let timer = null;
  function datalist() {
    if (!list) {
      list = document.createElement("datalist");
      list.id = "actor-suggest";
      document.body.append(list);
    }
    return list;
  }
  async function suggest(q) {
    const res = await fetch("/api/suggest/actors?limit=12&q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } });
    const items = res.ok ? (await res.json()).items : [];
    const dl = datalist();
    dl.replaceChildren();
    items.forEach(function (a) {
      const o = document.createElement("option");
      o.value = a.id;
      o.label = a.name + " · " + (a.type || "") + (a.country ? " · " + a.country : "") + " · " + a.mentions + " mentions";
      o.dataset.name = a.name;
      dl.append(o);
    });
    return items;
  }
  function addChip(field, id, name) {
    const ul = field.querySelector("ul.picked");
    if (field.dataset.single) ul.replaceChildren();
    if (ul.querySelector("li[data-id='" + CSS.escape(id) + "']")) return;
    const li = document.createElement("li");
    li.dataset.id = id;
    li.append(document.createTextNode(name + " "));
    const x = document.createElement("button");
    x.type = "button";
    x.className = "chip-x";
    x.textContent = "×";
    x.setAttribute("aria-label", "remove " + name);
    li.append(x);
    ul.append(li);
  }
  function chosen(input) {
    const opt = Array.from(datalist().options).find(function (o) { return o.value === input.value; });
    return opt ? { id: opt.value, name: opt.dataset.name } : null;
  }
  document.addEventListener("input", function (ev) {
    const input = ev.target;
    if (!input.matches || !input.matches("input.actor-pick")) return;
    const pick = chosen(input);
    if (pick) {  // a suggestion was picked from the list: its value is the actor id
      addChip(input.closest("fieldset"), pick.id, pick.name);
      input.value = "";
      return;
    }
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(function () { suggest(q).then(function () { input.dataset.suggested = q; }); }, 150);
  });
  document.addEventListener("keydown", async function (ev) {
    const input = ev.target;
    if (ev.key !== "Enter" || !input.matches || !input.matches("input.actor-pick")) return;
    ev.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    const items = await suggest(q);
    if (items.length) {  // Enter takes the best suggestion
      addChip(input.closest("fieldset"), items[0].id, items[0].name);
      input.value = "";
    }
  });
  document.addEventListener("click", function (ev) {
    const x = ev.target.closest && ev.target.closest("form.who-edit .chip-x");
    if (x) x.closest("li").remove();
  });
  document.addEventListener("submit", async function (ev) {
    const form = ev.target;
    if (!form.matches("form.who-edit")) return;
    ev.preventDefault();
    const msg = form.querySelector(".review-msg");
    const fields = {};
    form.querySelectorAll("fieldset.who-field").forEach(function (fs) {
      const ids = Array.from(fs.querySelectorAll("ul.picked li")).map(function (li) { return li.dataset.id; });
      fields[fs.dataset.role] = fs.dataset.single ? (ids[0] || null) : ids;
    });
    msg.textContent = "saving…";
    try {
      const out = await post({
        target_type: form.dataset.targetType, target_id: form.dataset.targetId, action: "edit",
        payload: { fields: fields }, comment: form.querySelector("input[name=comment]").value || null,
      });
      if (!out.ok) { msg.textContent = (out.body.error && out.body.error.message) || "failed"; return; }
      msg.textContent = "saved";
      window.location.reload();
    } catch (e) {
      msg.textContent = "network error";
    }
  });
})();
