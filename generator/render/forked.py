"""The fork server's last preload (render/pool.py): everything the workers share has been
imported by now, so it is moved out of the collector's way with gc.freeze(). The workers
forked from here then never walk those objects again in a full collection, nor copy the
memory pages that hold them (a collection writes to every object it visits, and a write to
a page shared with the fork server gives the worker its own copy of that page).

Imported for that effect alone, and only by the fork server.
"""

import gc

gc.freeze()
