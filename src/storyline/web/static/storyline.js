// Storyline web app: the one script. Pages work without it; it only filters long lists as you
// type: a table's rows, or a list of <details> (the story page's speakers, opened when they match).
// Items are shown or hidden by their text content; nothing from the page is ever parsed as HTML.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var box = document.getElementById(input.getAttribute("data-filter"));
    if (!box) return;
    var items = box.tagName === "TABLE" ? box.querySelectorAll("tbody tr") : box.querySelectorAll(":scope > details");
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      items.forEach(function (item) {
        var text = item.textContent.toLowerCase();
        var keep = words.every(function (w) { return text.indexOf(w) !== -1; });
        item.classList.toggle("hidden", !keep);
        if (item.tagName === "DETAILS") item.open = keep && words.length > 0;
      });
    });
  });
});
