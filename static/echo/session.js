// Before the idle limit ends a session, offer to stay signed in; once it has
// ended, say so (templates/session_notice.html). Timers follow what the
// server says is left (echo.views.session): asking does not count as
// activity, "Stay signed in" does. Another tab's activity, or a draft saved
// while typing (drafts.js, the "echo:session" event), moves the end along.
(function () {
  "use strict";
  var dialog, url, warnBefore, timer, lastFocus;

  function csrfToken() {
    var input = document.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function state(name) {
    dialog.querySelectorAll("[data-session-state]").forEach(function (part) {
      part.hidden = part.getAttribute("data-session-state") !== name;
    });
    var shown = dialog.querySelector("[data-session-state='" + name + "']");
    dialog.setAttribute("aria-labelledby", shown.querySelector("h2").id);
    dialog.setAttribute("aria-describedby", shown.querySelector("p").id);
  }

  function open(focusSelector) {
    if (!dialog.open) {
      lastFocus = document.activeElement;
      dialog.show();
    }
    var target = dialog.querySelector(focusSelector);
    if (target) target.focus();
  }

  function close() {
    if (!dialog.open) return;
    dialog.close();
    if (lastFocus && document.contains(lastFocus)) lastFocus.focus();
  }

  function schedule(seconds) {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(1, seconds) * 1000);
  }

  function follow(secondsLeft) {
    if (secondsLeft <= 0) {
      ended();
    } else if (secondsLeft > warnBefore) {
      close();
      schedule(secondsLeft - warnBefore);
    } else {
      warn();
      schedule(secondsLeft + 1);
    }
  }

  function ask(method) {
    var headers = { Accept: "application/json" };
    if (method === "POST") headers["X-CSRFToken"] = csrfToken();
    return fetch(url, { method: method, credentials: "same-origin", headers: headers })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      });
  }

  function check() {
    ask("GET").then(function (answer) {
      if (answer.signed_in) follow(answer.remaining); else ended();
    }).catch(function () { schedule(30); });
  }

  function warn() {
    state("warning");
    open("[data-session-stay]");
  }

  function ended() {
    clearTimeout(timer);
    state("ended");
    // A form on this page keeps its text when sent (echo.kept_text).
    dialog.querySelector("[data-session-kept]").hidden =
      !document.querySelector("input[name='echo_writer']");
    open("[data-session-sign-in]");
  }

  function stay() {
    ask("POST").then(function (answer) {
      if (!answer.signed_in) { ended(); return; }
      close();
      follow(answer.remaining);
    }).catch(function () { schedule(5); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    dialog = document.getElementById("session-notice");
    if (!dialog || typeof dialog.show !== "function" || !window.fetch) return;
    url = dialog.getAttribute("data-session-url");
    var idle = parseInt(dialog.getAttribute("data-idle-seconds"), 10) || 1800;
    warnBefore = Math.min(120, Math.floor(idle / 3));
    dialog.querySelector("[data-session-stay]").addEventListener("click", stay);
    dialog.querySelectorAll("[data-session-close]").forEach(function (button) {
      button.addEventListener("click", close);
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
    });
    document.addEventListener("echo:session", function (event) {
      if (event.detail && event.detail.signed_in === false) ended();
      else if (event.detail && event.detail.remaining) follow(event.detail.remaining);
    });
    follow(parseInt(dialog.getAttribute("data-seconds-left"), 10) || idle);
  });
})();
