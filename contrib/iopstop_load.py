#!/usr/bin/env python3
"""iopstop_load - kept for old scripts: the reader now lives in the iopstop
Python package (python/iopstop/loader.py; `pip install ./python`), as
iopstop.load().  This shim finds the package installed or in the source
tree beside this file.

    import iopstop_load as il        # the same as: from iopstop import load
    python3 iopstop_load.py FILE [--plot OUT.png]
"""
import os
import sys

try:
    import iopstop.loader as _impl
except ImportError:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    os.pardir, "python"))
    import iopstop.loader as _impl

globals().update({k: v for k, v in vars(_impl).items() if not k.startswith("__")})

if __name__ == "__main__":
    sys.exit(_impl.main(sys.argv))
