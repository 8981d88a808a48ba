"""The Python that a theme's templates compile to: Jinja's own, with changes that leave
every page's text as it was and save most of the CPU Jinja spends around it (a page:
~35 includes, ~140 `_()`, ~500 `x.name`, ~300 printed values).

- Buffered: the root and each block write into one list and yield it joined, once, as
  macros already do. Jinja yields every piece of text on its own, and each piece then
  passes through every generator above it (an include, a block, the base template, the
  child template), a resumption each.
- An include extends that list (or is `yield from`) instead of a Python loop over the
  included template's pieces.
- `_("literal")` reads its translation from a table instead of being called (three Python
  frames a call); `_("...", name=value)` calls the table's format directly. The table
  belongs to the language being rendered and is looked up when the function that resolves
  `_` starts, so the compiled code (and the build cache's copy of it) is the same for every
  language and a catalog edit reaches the next page. The table gives exactly what the call
  returns; where `_` is not Remit's own gettext at run time (a value the page was given, an
  includer's variable), the table is None and the call is made as before. A template that
  binds `_`, `gettext` or `ngettext` itself (set, for, with, macro, import) is compiled
  without tables, and so is any place where autoescaping is off or unknown at compile time.
- `x.name` on a dict is its key, found inline when dict has no attribute of that name;
  anything else goes through Environment.getattr as before.
- A printed str is escaped by markupsafe's C function with no Python call around it.
"""

from __future__ import annotations

import keyword
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator as JinjaCodeGenerator
from jinja2.compiler import Frame, optimizeconst
from jinja2.idtracking import VAR_LOAD_RESOLVE

# What `x.name` finds first on a dict (Jinja looks for an attribute before a key).
DICT_ATTRIBUTES = frozenset(dir(dict))
# The names Remit's environment binds to its gettext (runtime.py): what `_("...")` calls.
GETTEXT_NAMES = frozenset({"_", "gettext"})


def binds_gettext(template: nodes.Template) -> bool:
    """Whether the template gives `_`, `gettext` or `ngettext` a value of its own anywhere:
    its compiled code then keeps every call as it is."""
    names = GETTEXT_NAMES | {"ngettext"}
    for node in template.find_all((nodes.Name, nodes.Macro, nodes.Import,
                                   nodes.FromImport)):
        if isinstance(node, nodes.Name):
            if node.ctx != "load" and node.name in names:
                return True
        elif isinstance(node, nodes.Macro):
            if node.name in names:
                return True
        elif isinstance(node, nodes.Import):
            if node.target in names:
                return True
        elif any((n if isinstance(n, str) else n[-1]) in names for n in node.names):
            return True
    return False


def table_name(ref: str) -> str:
    """The local holding the translation table beside Jinja's local `ref` for `_` (Jinja's
    own locals are l_N_name and t_N: no clash)."""
    return f"remit_table_{ref}"


class CodeGenerator(JinjaCodeGenerator):
    """Jinja's code generator with the changes in the module's docstring."""

    _fold_ok = False
    _fold_output: nodes.Node | None = None

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        self._fold_ok = not binds_gettext(node)
        self._printed: list[str] = []
        self._function_buffers: list[str] = []
        super().visit_Template(node, frame)

    # -- buffered root and blocks -------------------------------------------------------
    def enter_frame(self, frame: Frame) -> None:
        if frame.parent is None and frame.buffer is None and not self.environment.is_async:
            if frame.rootlevel or frame.block_frame:
                self.buffer(frame)  # writes `t_N = []`
                frame.remit_buffered = True  # type: ignore[attr-defined]
                self._function_buffers.append(frame.buffer)  # type: ignore[arg-type]
            elif self._function_buffers:  # an isolated scope inside a buffered function
                frame.buffer = self._function_buffers[-1]
        super().enter_frame(frame)
        if not self._fold_ok:
            return
        for target, (action, param) in frame.symbols.loads.items():
            if action == VAR_LOAD_RESOLVE and param in GETTEXT_NAMES:
                self.writeline(f"{table_name(target)} = environment.fold_table({target})")

    def leave_frame(self, frame: Frame, with_python_scope: bool = False) -> None:
        super().leave_frame(frame, with_python_scope)
        if getattr(frame, "remit_buffered", False):
            self.writeline(f"yield concat({frame.buffer})")
            self._function_buffers.pop()

    # -- includes -----------------------------------------------------------------------
    def visit_Include(self, node: nodes.Include, frame: Frame) -> None:
        if self.environment.is_async:
            super().visit_Include(node, frame)
            return
        func_name = "get_or_select_template"
        if isinstance(node.template, nodes.Const):
            if isinstance(node.template.value, str):
                func_name = "get_template"
            elif isinstance(node.template.value, (tuple, list)):
                func_name = "select_template"
        elif isinstance(node.template, (nodes.Tuple, nodes.List)):
            func_name = "select_template"
        if node.ignore_missing:
            self.writeline("try:")
            self.indent()
        self.writeline(f"template = environment.{func_name}(", node)
        self.visit(node.template, frame)
        self.write(f", {self.name!r})")
        if node.ignore_missing:
            self.outdent()
            self.writeline("except TemplateNotFound:")
            self.indent()
            self.writeline("pass")
            self.outdent()
            self.writeline("else:")
            self.indent()
        if node.with_context:
            pieces = ("template.root_render_func(template.new_context(context.get_all(), True,"
                      f" {self.dump_local_context(frame)}))")
        else:
            pieces = "template._get_default_module()._body_stream"
        # Jinja yields from the module's body even where the frame is buffered (a macro).
        if frame.buffer is None:
            self.writeline(f"yield from {pieces}")
        else:
            self.writeline(f"{frame.buffer}.extend({pieces})")
        if node.ignore_missing:
            self.outdent()

    # -- `_("literal")` from a table ----------------------------------------------------
    def _folded(self, node: nodes.Node, frame: Frame) -> str | None:
        """The table local for a call `_("literal", name=value...)` (or gettext) made
        through its table here, else None."""
        if not (self._fold_ok and isinstance(node, nodes.Call)
                and isinstance(node.node, nodes.Name) and node.node.name in GETTEXT_NAMES
                and node.node.ctx == "load" and len(node.args) == 1
                and isinstance(node.args[0], nodes.Const) and type(node.args[0].value) is str
                and node.dyn_args is None and node.dyn_kwargs is None
                # Context.call drops these two (Jinja's own), and a keyword cannot be one
                and all(not k.key.startswith("_") and not keyword.iskeyword(k.key)
                        for k in node.kwargs)
                and frame.eval_ctx.autoescape is True and not frame.eval_ctx.volatile):
            return None
        ref = frame.symbols.find_ref(node.node.name)
        if ref is None or frame.symbols.find_load(ref) != (VAR_LOAD_RESOLVE, node.node.name):
            return None
        return table_name(ref)

    # -- printing: a str escaped by markupsafe's C function, with no Python call around it
    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if finalize.src is not None or frame.eval_ctx.volatile \
                or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
        elif self._folded(node, frame):
            self._fold_output = node  # visit_Call escapes the call's result itself
        else:
            value = self.temporary_identifier()
            self._printed.append(value)
            # A plain str is escaped to a plain str: the piece is joined into the page, so
            # its type (Markup or not) makes no difference to the text.
            self.write(f"(remit_escape_str({value}) if type({value} := ")

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if finalize.src is not None or frame.eval_ctx.volatile \
                or not frame.eval_ctx.autoescape:
            super()._output_child_post(node, frame, finalize)
        elif self._fold_output is node:
            self._fold_output = None
        else:
            value = self._printed.pop()
            self.write(f") is str else escape({value}))")

    # -- `x.name`: a dict's key found inline ----------------------------------------------
    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        if node.attr in DICT_ATTRIBUTES or self.environment.is_async \
                or self.environment.sandboxed:
            super().visit_Getattr(node, frame)
            return
        # What Environment.getattr finds (the key: no dict attribute has this name), without
        # the call; anything else (not a dict, no such key) goes through it.
        value, attr = self.temporary_identifier(), repr(node.attr)
        self.write(f"({value}[{attr}] if type({value} := ")
        self.visit(node.node, frame)
        self.write(f") is dict and {attr} in {value} else environment.getattr({value}, {attr}))")

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False
                   ) -> None:
        table = None if forward_caller else self._folded(node, frame)
        if table is None:
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        escaped = self._fold_output is node
        text = node.args[0].value  # type: ignore[attr-defined]
        if node.kwargs:
            self.write(f"({table}.format({text!r}")
            for kwarg in node.kwargs:
                self.write(f", {kwarg.key}=")
                self.visit(kwarg.value, frame)
            self.write(f") if {table} is not None else ")
        else:
            self.write(f"({table}[{text!r}] if {table} is not None else ")
        self.write("escape(" if escaped else "(")
        super().visit_Call(node, frame, forward_caller=forward_caller)
        self.write("))")
