"""`statuspage notify`: tell subscribers about every update the site shows, exactly once.

`events` finds what happened (pure), `notice` words it in the site's language, a module per
channel type in `channels` turns it into that service's message, `ledger` remembers what each
channel was told, `due` decides what each channel is told in a run, `endpoints` takes each
channel's secrets from the environment, and `run` puts them together under a lock.
"""
