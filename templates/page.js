"use strict";
// Niceties only (the page works without them): open the closed section a link points into,
// light every part of an excerpt cut by another, open everything before printing.
(function () {
  function lightUp() {
    document.querySelectorAll("mark.lit").forEach(function (m) { m.classList.remove("lit"); });
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var target = id && document.getElementById(id);
    if (!target) { return; }
    for (var up = target.parentElement; up; up = up.parentElement) {
      if (up.tagName === "DETAILS") { up.open = true; }
    }
    if (target.tagName === "MARK") {
      document.querySelectorAll("mark[data-x]").forEach(function (m) {
        if (m.getAttribute("data-x") === id) { m.classList.add("lit"); }
      });
    }
    target.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", lightUp);
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  lightUp();
})();
