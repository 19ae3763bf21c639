// Drafts of board messages (boards/drafts.py): while one types, the form is
// saved as a draft now and then (at most every 20 seconds, only when
// something changed) and when the tab is left. Without this script the
// "Save draft" button does the same.
(function () {
  "use strict";
  var INTERVAL_MS = 20000;

  function announceSession(detail) {
    document.dispatchEvent(new CustomEvent("echo:session", { detail: detail }));
  }

  function setUp(form) {
    var changed = false, saving = null, lastSave = 0, timer = null;
    var status = form.querySelector("[data-draft-status]");

    function save(leaving) {
      if (!changed || saving) return;
      var data = new FormData(form);
      data.append("save_draft", "1");
      changed = false;
      lastSave = Date.now();
      saving = window.AbortController ? new AbortController() : { signal: undefined, abort: function () {} };
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        keepalive: leaving,
        signal: saving.signal,
        headers: { "X-Echo-Autosave": "1", Accept: "application/json" }
      }).then(function (response) {
        saving = null;
        if (response.status === 401) { announceSession({ signed_in: false }); return null; }
        if (!response.ok) { changed = true; return null; }
        return response.json();
      }).then(function (answer) {
        if (!answer || !answer.saved) return;
        if (status && status.hasAttribute("data-saved")) {
          var time = new Date().toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
          status.textContent = status.getAttribute("data-saved") + " " + time;
        }
        announceSession({ remaining: answer.remaining });
      }).catch(function () { saving = null; changed = true; });
    }

    function plan() {
      if (timer) return;
      var wait = Math.max(3000, lastSave + INTERVAL_MS - Date.now());
      timer = setTimeout(function () { timer = null; save(false); }, wait);
    }

    form.addEventListener("input", function () { changed = true; plan(); });
    form.addEventListener("submit", function () {
      // Sent (or saved by the button): no draft saved after it.
      changed = false;
      clearTimeout(timer);
      if (saving) saving.abort();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save(true);
    });
    window.addEventListener("pagehide", function () { save(true); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.fetch || !window.FormData) return;
    document.querySelectorAll("form[data-draft]").forEach(setUp);
  });
})();
