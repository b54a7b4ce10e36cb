// Review queue: one card selected at a time; a accepts, r rejects (then the next card),
// j or n moves to the next card, k or p back (past either end, to the next or previous
// page), e opens the who-did-what editor.
(function () {
  "use strict";
  const box = document.getElementById("queue");
  if (!box) return;
  let items = Array.from(box.querySelectorAll(".queue-item"));
  let at = 0;
  function select(i) {
    if (!items.length) return;
    at = Math.max(0, Math.min(i, items.length - 1));
    items.forEach(function (el, j) { el.classList.toggle("selected", j === at); });
    items[at].focus({ preventScroll: true });
    items[at].scrollIntoView({ block: "nearest" });
    box.dataset.selected = items[at].dataset.id;
  }
  async function decide(action) {
    const el = items[at];
    if (!el || el.classList.contains("done")) { select(at + 1); return; }
    const out = await window.wirewatchReview.post({
      target_type: el.dataset.type, target_id: el.dataset.id, action: action, comment: null,
    });
    if (!out.ok) {
      const msg = el.querySelector(".review-msg");
      if (msg) msg.textContent = (out.body.error && out.body.error.message) || "failed";
      return;
    }
    el.classList.add("done", "done-" + action);
    el.dataset.done = action;
    select(at + 1);
  }
  // Past the last card (or before the first) the keys go on to the next (previous) page.
  function turn(step) {
    const edge = step > 0 ? at >= items.length - 1 : at <= 0;
    const link = document.querySelector(".pager a.page-" + (step > 0 ? "next" : "prev"));
    if (!edge || !link) return false;
    window.location.href = link.href;
    return true;
  }
  box.addEventListener("click", function (ev) {
    const el = ev.target.closest(".queue-item");
    if (el) { at = items.indexOf(el); select(at); }
  });
  document.addEventListener("keydown", function (ev) {
    const t = ev.target;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (t.matches && t.matches("input, select, textarea, button, summary")) return;
    const k = ev.key.toLowerCase();
    if (k === "a") { ev.preventDefault(); decide("accept"); }
    else if (k === "r") { ev.preventDefault(); decide("reject"); }
    else if (k === "j" || k === "n") { ev.preventDefault(); turn(1) || select(at + 1); }
    else if (k === "k" || k === "p") { ev.preventDefault(); turn(-1) || select(at - 1); }
    else if (k === "e" && items[at]) {
      ev.preventDefault();
      const d = items[at].querySelector("details.who-box");
      if (d) { d.open = true; const i = d.querySelector("input.actor-pick"); if (i) i.focus(); }
    }
  });
  select(0);
})();
