/* Golden Status: a banner in your page while something is going on, read from
   https://golden.test/status/api/v2/summary.json (the host must send Access-Control-Allow-Origin).
   <script src="https://golden.test/status/embed.js" async></script>, optionally with
   data-target="#some-element" to put the banner there instead of at the top of the body. */
(function () {
  var site = "https://golden.test/status/";
  var colours = {"critical": ["cf222e", "f85149"], "maintenance": ["0969da", "4493f8"], "major": ["bc4c00", "db6d28"], "minor": ["9a6700", "d29922"], "none": ["1a7f37", "3fb950"]};
  var active = ["in_progress", "verifying"];
  var script = document.currentScript;
  fetch(site + "api/v2/summary.json", {cache: "no-cache"}).then(function (answer) {
    return answer.ok ? answer.json() : null;
  }).then(function (summary) {
    if (!summary || !summary.status) return;
    var items = (summary.incidents || []).concat((summary.scheduled_maintenances || []).filter(function (m) {
      return active.indexOf(m.status) >= 0;
    }));
    if (!items.length) return;
    var level = colours[summary.status.indicator] && summary.status.indicator !== "none" ? summary.status.indicator : "maintenance";
    var dark = window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches;
    var box = document.createElement("div");
    box.setAttribute("role", "status");
    box.className = "statuspage-banner";
    box.style.cssText = "padding:.6em 1em;font:14px/1.4 system-ui,sans-serif;background:#" + colours[level][dark ? 1 : 0] + ";color:" + (dark ? "#0d1117" : "#fff");
    var words = document.createElement("strong");
    words.textContent = summary.status.description + ": ";
    box.appendChild(words);
    items.forEach(function (item, index) {
      var link = document.createElement("a");
      link.textContent = item.name;
      link.href = site + "incidents/" + encodeURIComponent(item.id) + "/";  // an incident's id is its page's name
      link.style.color = "inherit";
      if (index) box.appendChild(document.createTextNode(" · "));
      box.appendChild(link);
    });
    var target = script && script.dataset.target ? document.querySelector(script.dataset.target) : null;
    (target || document.body).insertBefore(box, (target || document.body).firstChild);
  }).catch(function () {});
})();