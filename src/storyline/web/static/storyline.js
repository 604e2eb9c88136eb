// Storyline web app: the one script. Pages work without it, except the correction forms: it filters long
// lists as you type (a table's rows, or a list of <details>: the story page's speakers, opened when
// they match), and sends the correction forms (form[data-correct]) as JSON, the only body a write may
// have (web/guard.py), then reloads the page (or opens the new story) or shows the server's error.
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

// A correction form's fields as the JSON body: empty fields left out, data-type="int" as numbers,
// data-list fields as arrays (checked boxes of one name, or text split on the data-list separator).
function correctionBody(form) {
  var body = {};
  form.querySelectorAll("input[name], select[name]").forEach(function (field) {
    var name = field.name;
    if (field.hasAttribute("data-list")) {
      var sep = field.getAttribute("data-list");
      var values = field.type === "checkbox" ? (field.checked ? [field.value] : [])
        : (sep ? field.value.split(sep) : [field.value]).map(function (v) { return v.trim(); }).filter(Boolean);
      body[name] = (body[name] || []).concat(values);
      return;
    }
    var value = field.value.trim();
    if (!value) return;
    body[name] = field.getAttribute("data-type") === "int" ? parseInt(value, 10) : value;
  });
  return body;
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-correct]").forEach(function (form) {
    var result = form.querySelector("output.result");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      if (result) result.textContent = "Saving…";
      fetch(form.getAttribute("data-correct"), {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "Accept": "application/json"},
        body: JSON.stringify(correctionBody(form)),
      }).then(function (response) {
        return response.json().then(function (data) { return {ok: response.ok, data: data}; });
      }).then(function (answer) {
        if (!answer.ok) {
          var error = answer.data && answer.data.error;
          var message = error ? error.message : "the correction was refused";
          if (typeof message !== "string") message = JSON.stringify(message);
          throw new Error(message);
        }
        if (result) result.textContent = "Correction " + answer.data.id + " saved.";
        var story = answer.data.payload && answer.data.payload.story;
        if (form.getAttribute("data-go") === "story" && story) {
          window.location.assign("/stories/" + encodeURIComponent(story));
        } else {
          window.location.reload();
        }
      }).catch(function (error) {
        if (result) result.textContent = "Not saved: " + error.message;
        if (button) button.disabled = false;
      });
    });
  });
});

