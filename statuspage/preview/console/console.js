// Live preview of the message while it is typed; without script, the Preview button does the same.
document.querySelectorAll("form[data-preview]").forEach(function (form) {
  var area = form.querySelector("textarea[data-preview]");
  if (!area) return;
  var box = document.getElementById(area.dataset.preview);
  var body = document.getElementById(area.dataset.preview + "-body");
  var timer = null;
  area.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var data = new URLSearchParams(new FormData(form));
      fetch(form.dataset.preview, {method: "POST", body: data, credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { body.innerHTML = html; box.hidden = !area.value.trim(); }, function () {});
    }, 300);
  });
});
