/* Progressive enhancement: show times in the visitor's own zone. Without it they stay in the site's zone, named. */
(() => {
  const root = document.documentElement, zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || zone === root.dataset.zone) return;
  const format = new Intl.DateTimeFormat(root.lang, {year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"});
  for (const time of document.querySelectorAll("time[datetime*='T']")) {
    time.title = time.textContent;
    time.textContent = format.format(new Date(time.dateTime));
  }
  const note = document.getElementById("zone");
  note.textContent = note.dataset.local.replace("{zone}", zone);
})();
