"""The browser console: post incidents and updates from a form, through the authoring code the CLI uses."""
