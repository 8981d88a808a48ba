"""The owner's live tools: a watcher that rebuilds on every change, and a preview server on
this machine that reloads open tabs. Its own URLs live under /_remit/."""
