"""python3 -m iopstop FILE [--plot OUT.png]: summarise an iopstop --json
file or recording (the same as contrib/iopstop_load.py)."""
import sys

from .loader import main

sys.exit(main(sys.argv))
