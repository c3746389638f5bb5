// Autocomplete for the search box: an ARIA combobox over /api/v1/complete. Without JavaScript the plain form works.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("q-list");
  var live = document.getElementById("q-status");
  if (!input || !list || !window.fetch) return;
  var form = input.form, items = [], active = -1, timer = null, controller = null, last = "";
  var SCOPE = { label: "label", exact: "exact synonym", layperson: "layperson synonym", expression: "patient expression",
                inclusion: "ICD-10-CM inclusion term", related: "related synonym" };

  function close() {
    list.hidden = true; input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant"); active = -1;
  }
  function render(entries) {
    items = entries; list.innerHTML = ""; active = -1;
    if (!entries.length) { close(); live.textContent = "No suggestions"; return; }
    entries.forEach(function (e, i) {
      var li = document.createElement("li");
      li.id = "q-opt-" + i; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
      var text = document.createElement("span"); text.className = "text"; text.textContent = e.text;
      var what = document.createElement("span"); what.className = "what";
      what.textContent = (SCOPE[e.scope] || e.scope) + (e.matched === "fuzzy" ? " (close match)" : "") + " → " + e.label + " (" + e.concept_id + ")";
      li.appendChild(text); li.appendChild(what);
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    list.hidden = false; input.setAttribute("aria-expanded", "true");
    live.textContent = entries.length + " suggestion" + (entries.length === 1 ? "" : "s") + ", use the arrow keys";
  }
  function move(to) {
    if (!items.length) return;
    if (active >= 0) list.children[active].setAttribute("aria-selected", "false");
    active = (to + items.length) % items.length;
    var li = list.children[active];
    li.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", li.id);
    li.scrollIntoView({ block: "nearest" });
  }
  function choose(i) {
    input.value = items[i].text; close();
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }
  function fetchNow() {
    var q = input.value;
    if (q.trim().length < 2) { close(); return; }
    if (q === last) return;
    last = q;
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch("/api/v1/complete?limit=8&q=" + encodeURIComponent(q), controller ? { signal: controller.signal } : {})
      .then(function (r) { return r.ok ? r.json() : { completions: [] }; })
      .then(function (data) { if (input.value === q) render(data.completions || []); })
      .catch(function () {});
  }
  input.addEventListener("input", function () { clearTimeout(timer); last = ""; timer = setTimeout(fetchNow, 60); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { if (list.hidden) fetchNow(); else move(active + 1); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { move(active - 1); ev.preventDefault(); }
    else if (ev.key === "Enter" && !list.hidden && active >= 0) { ev.preventDefault(); choose(active); }
    else if (ev.key === "Escape" && !list.hidden) { close(); ev.preventDefault(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
