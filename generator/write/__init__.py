"""From rendered files to output/: the build cache, its keys, and the output folder updated
in place or swapped whole, never left half-written."""
