"""Notes in, validated incidents out: find the files, split and read them, render their Markdown,
and keep what was parsed for the next build."""
