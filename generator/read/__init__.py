"""Files in, model out: site.toml and content/ read into frozen objects, every problem located
(file, line, field, what would be valid) and reported all at once. Reading ends with the
cross-field checks (figures/checks.py), so what comes out of here is fit to build."""
