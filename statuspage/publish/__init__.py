"""The only writer of the site folder: pages kept or rendered by their keys, a staging folder
brought up to date, one atomic swap, the ledger that remembers what each page was made from,
and the stamp that stops a build whose inputs are the last one's."""
