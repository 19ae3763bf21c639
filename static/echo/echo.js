// Quick exit: sign out on the server and leave for a neutral site, replacing
// this page in the history, so that Back does not return to it (and the page
// before it, never kept by the browser, asks the server again: signed out).
// The button's own link does the same without JavaScript, as a new entry.
// Three presses of Shift do the same.
(function () {
  "use strict";
  function exitUrl() {
    return document.body.getAttribute("data-exit-url") || "https://www.google.com/";
  }
  function quickExit(event) {
    if (event) event.preventDefault();
    var link = document.querySelector("[data-quick-exit]");
    document.body.hidden = true;
    document.title = "";
    try { window.open(exitUrl(), "_blank", "noopener,noreferrer"); } catch (e) { /* ignore */ }
    // The exit link signs out, then sends the browser on to the neutral site.
    window.location.replace(link ? link.href : exitUrl());
  }
  var shiftPresses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { shiftPresses = []; return; }
    var now = Date.now();
    shiftPresses = shiftPresses.filter(function (t) { return now - t < 1500; });
    shiftPresses.push(now);
    if (shiftPresses.length >= 3) quickExit();
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-quick-exit]").forEach(function (link) {
      link.addEventListener("click", quickExit);
    });
    // On a phone a wide table shows each row as a block (echo.css): each
    // cell is given its column's heading to show before it.
    document.querySelectorAll("table").forEach(function (table) {
      var headings = table.querySelectorAll("thead th");
      if (headings.length < 4) return;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          var label = headings[i] && headings[i].textContent.trim();
          if (i > 0 && label) cell.setAttribute("data-label", label);
        });
      });
    });
    // A form came back with errors: its summary takes the focus, so that a
    // screen reader reads it first (autofocus does so without this script).
    var summary = document.querySelector("[data-error-summary]");
    if (summary && document.activeElement !== summary) summary.focus();
    // Show the phone field only when contact by phone is chosen.
    var radios = document.querySelectorAll("input[name='contact_preference']");
    var phone = document.getElementById("id_phone");
    if (radios.length && phone) {
      var row = phone.closest(".field") || phone.parentElement;
      var sync = function () {
        var checked = document.querySelector("input[name='contact_preference']:checked");
        row.hidden = !(checked && checked.value === "phone");
      };
      radios.forEach(function (r) { r.addEventListener("change", sync); });
      sync();
    }
  });
})();
