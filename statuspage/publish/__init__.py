"""The only writer of the site folder: pages kept or rendered by their keys, a staging folder
brought up to date, one atomic swap, and the ledger that remembers what each page was made from."""
