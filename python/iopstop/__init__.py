"""iopstop from Python: profile a notebook cell's file I/O, read reports.

In IPython or Jupyter:

    %load_ext iopstop
    %%iops [--histogram] [--heatmap] [--files] [--latency] [--insights]
           [--backend=NAME] [--path=PREFIX] [--kinds=LIST | --all]
    ...the cell...

    %iops STATEMENT                  # one line, the same flags first
    r = _                            # the Result: r.summary is iopstop's
                                     # --json dict; r.files, r.processes,
                                     # r.histogram, r.heatmap are tables

In scripts:

    r = iopstop.profile(func, *args)     # the same, for one call
    d = iopstop.load("run.json")         # iopstop's --json, or a recording
    r = iopstop.replay("run.rec")        # a recording through iopstop -r

The `iopstop` binary is $IOPSTOP, else the build tree's src/iopstop beside
this package (python/../src/iopstop), else iopstop on $PATH.
"""
from .loader import load, load_json, load_recording, plot_heatmap, unescape
from .result import Result
from .attach import IopstopError, Session, find_binary, profile, replay

__all__ = ["load", "load_json", "load_recording", "plot_heatmap", "unescape",
           "Result", "IopstopError", "Session", "find_binary", "profile", "replay",
           "load_ipython_extension", "unload_ipython_extension"]
__version__ = "0.1.0"


def load_ipython_extension(ipython):
    """%load_ext iopstop"""
    from .magic import IopsMagics
    ipython.register_magics(IopsMagics)


def unload_ipython_extension(ipython):
    pass
