"""Every file of the site, each output a function of one `Site` returning `{path: bytes}`
(pages as `Deferred` bytes, rendered only when changed): pages and the theme, feeds, the API,
badges, the calendar, the sitemap, embeds, the favicon, `index.md` and `llms.txt`. No output
reads notes or writes a file."""
