"""%iops and %%iops: the notebook tool's magics, on iopstop.

    %%iops [FLAGS]          profile the cell
    %iops [FLAGS] STATEMENT profile one statement

FLAGS: --histogram, --heatmap (iopstop's SVG pictures inline), --files
(per-file table), --latency, --insights (iopstop's findings), --backend=NAME
(auto, strace, proc), --path=PREFIX (repeatable: only files under it),
--kinds=LIST (descriptor kinds to count; default file), --all (every kind).
The magic's value is a Result: the profile shows as the cell's output and
`_` / Out[n] keep it; `r = %iops ...` keeps it without showing.
"""
import ast
import re

from IPython.core.error import UsageError
from IPython.core.magic import (Magics, line_cell_magic, magics_class, needs_local_scope,
                                no_var_expand)
from IPython.display import display

from .attach import IopstopError, Session

FLAGS = ("histogram", "heatmap", "files", "latency", "insights", "all")
VALUED = ("backend", "path", "kinds")


def parse_flags(line):
    """Leading --flags of line; returns (opts, the rest)."""
    opts = {"show": set(), "backend": "auto", "paths": [], "kinds": "file"}
    rest = line
    while True:
        rest = rest.lstrip()
        m = re.match(r"--([a-z][a-z-]*)(?:=(\S*))?(?=\s|$)", rest)
        if not m or (m.group(1) not in FLAGS and m.group(1) not in VALUED):
            if m or re.match(r"--[a-z]", rest):
                name = (m.group(1) if m else rest.split()[0][2:])
                raise UsageError("%%iops: unknown option --%s (flags: %s; with a value: %s)"
                                 % (name, ", ".join("--" + f for f in FLAGS),
                                    ", ".join("--%s=..." % v for v in VALUED)))
            return opts, rest
        name, val = m.group(1), m.group(2)
        rest = rest[m.end():]
        if name in FLAGS:
            if val is not None:
                raise UsageError("%%iops: --%s takes no value" % name)
            if name == "all":
                opts["kinds"] = None
            else:
                opts["show"].add(name)
            continue
        if val is None:     # "--backend proc"
            parts = rest.lstrip().split(None, 1)
            if not parts:
                raise UsageError("%%iops: --%s needs a value" % name)
            val = parts[0]
            rest = parts[1] if len(parts) > 1 else ""
        if not val:
            raise UsageError("%%iops: --%s needs a value" % name)
        if name == "backend":
            if val not in ("auto", "strace", "proc", "fs_usage"):
                raise UsageError("%%iops: --backend is auto, strace, proc or fs_usage")
            opts["backend"] = val
        elif name == "path":
            opts["paths"].append(val)
        else:
            opts["kinds"] = val


@magics_class
class IopsMagics(Magics):

    def _compile(self, src):
        try:
            filename = self.shell.compile.cache(src)
        except Exception:
            filename = "<iops>"
        tree = ast.parse(src, filename)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        body = compile(tree, filename, "exec")
        return body, (compile(last, filename, "eval") if last is not None else None)

    @no_var_expand
    @needs_local_scope
    @line_cell_magic
    def iops(self, line, cell=None, local_ns=None):
        """Profile the cell's (or the statement's) file I/O with iopstop."""
        opts, rest = parse_flags(line)
        # The statement runs as written (as with %time); only the flags'
        # values take $name and {expr} from the user's namespace.
        opts["paths"] = [self.shell.var_expand(p) for p in opts["paths"]]
        if opts["kinds"]:
            opts["kinds"] = self.shell.var_expand(opts["kinds"])
        if cell is None:
            src = rest
        else:
            if rest.strip():
                raise UsageError("%%%%iops: unexpected %r on the magic's line" % rest.strip())
            src = cell
        src = self.shell.transform_cell(src)
        body, last = self._compile(src)
        glob = self.shell.user_ns
        loc = local_ns if local_ns is not None else glob
        s = Session(backend=opts["backend"], paths=opts["paths"], kinds=opts["kinds"])
        try:
            s.start()
        except IopstopError as e:
            raise UsageError("%%iops: " + str(e)) from None
        value = None
        try:
            exec(body, glob, loc)
            if last is not None:
                value = eval(last, glob, loc)
        except BaseException as e:
            # The profile of what ran, then the cell's own exception.
            try:
                r = s.stop(error=e)
                r.show = opts["show"]
                display(r)
            except IopstopError as ie:
                print("%%iops: " + str(ie))
            raise
        r = s.stop(value=value)
        r.show = opts["show"]
        return r
