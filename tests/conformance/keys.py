"""The translation keys an integration's code uses, found without running it.

A *position* is where Home Assistant takes a key: a ``translation_key=`` (or
``*_translation_key=``) argument, an ``_attr_translation_key =`` assignment, a flow's
``step_id=``, ``reason=``, ``progress_action=``, ``menu_options=``, ``errors[...] =`` and its form
fields. What stands there is resolved to strings by ``Source.strings``. When it is a *parameter*
of the enclosing function, the parameter becomes a position itself: what every call passes for
it (``f(...)``, ``self.f(...)``, ``Class(...)``, ``super().__init__(...)``) is resolved the same
way, so a helper may take the key as a parameter. The namespace comes from the position: an issue,
a selector, an entity description (its platform from the class's Home Assistant base, or the
platform of the class that passes the key), a flow of the config or options kind, otherwise an
exception. A value computed at run time is not guessed; the other direction (every en.json key
occurs as a string of the code) still covers it.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import NamedTuple

from homeassistant.exceptions import HomeAssistantError

from .code import Ctx, Func, Source, call_name, kwargs

type KeyPath = tuple[str, ...]

STEP_CALLS = frozenset({"async_show_form", "async_show_menu", "async_show_progress"})
IMPLIED_ABORTS = {  # abort reasons Home Assistant's flow helpers raise by themselves
    "async_set_unique_id": "already_in_progress",
    "_abort_if_unique_id_configured": "already_configured",
    "_async_abort_entries_match": "already_configured",
    "_abort_if_unique_id_mismatch": "unique_id_mismatch",
}


class Key(NamedTuple):
    """A translation key the code uses: its path in en.json, and where."""

    path: KeyPath
    where: str


class Code(Source):
    """The integration's code and the translation keys it uses (``keys``)."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.keys: list[Key] = []
        self.problems: list[str] = []
        self._params: list[tuple[Func, Ctx, str, KeyPath]] = []
        for node, ctx in self.nodes:
            self._positions(node, ctx)
        done: set[tuple[str, str, KeyPath]] = set()
        while self._params:  # parameters that take a key: what their callers pass
            func, ctx, param, prefix = self._params.pop()
            if (ctx.at(func), param, prefix) not in done:
                done.add((ctx.at(func), param, prefix))
                self._callers(func, ctx, param, prefix)

    # -- positions ---------------------------------------------------------------------------

    def _add(self, prefix: KeyPath, node: ast.expr | None, ctx: Ctx) -> None:
        """Record the keys at a position; a parameter there becomes a position itself."""
        if node is None:
            return
        self.keys += [Key((*prefix, value), ctx.at(node)) for value in self.strings(node, ctx)]
        args = ctx.func.args if ctx.func else None
        if (
            isinstance(node, ast.Name)
            and args
            and node.id in [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
        ):
            self._params.append((ctx.func, ctx, node.id, prefix))  # type: ignore[arg-type]

    def _callers(self, func: Func, ctx: Ctx, param: str, prefix: KeyPath) -> None:
        """Record what every call of ``func`` passes for ``param``."""
        names = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
        names = names[1:] if ctx.cls and names[:1] in (["self"], ["cls"]) else names
        called = {func.name} | ({ctx.cls.name} if ctx.cls and func.name == "__init__" else set())
        for node, at in self.nodes:
            if not isinstance(node, ast.Call) or call_name(node.func) not in called:
                continue
            if call_name(node.func) == "__init__" and not (
                at.cls and ctx.cls and ctx.cls.name in dict(self.ancestors(at.cls.name))
            ):
                continue  # super().__init__() of another class
            position = names.index(param) if param in names else len(node.args)
            arg = kwargs(node).get(
                param, node.args[position] if position < len(node.args) else None
            )
            path = prefix
            if prefix == ("entity", "*"):  # the platform of the class that passes the key
                path = ("entity", self.platform(at.cls.name if at.cls else None))
            self._add(path, arg, at)

    def _positions(self, node: ast.AST, ctx: Ctx) -> None:
        kind = self.flow_kind(ctx.cls)
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if call_name(target) == "_attr_translation_key":
                    self._add(
                        ("entity", self.platform(ctx.cls.name if ctx.cls else None)),
                        node.value,
                        ctx,
                    )
                holder = target.value if isinstance(target, ast.Subscript) else target
                if kind is None or not call_name(holder).endswith("errors"):
                    continue
                if holder is not target:  # errors["base"] = key
                    self._add((kind, "error"), node.value, ctx)
                for value in getattr(node.value, "values", []) if holder is target else []:
                    self._add((kind, "error"), value, ctx)  # errors = {"base": key}
        if not isinstance(node, ast.Call):
            return
        name, kw = call_name(node.func), kwargs(node)
        for keyword, value in kw.items():
            if keyword.endswith("_translation_key"):
                self._add(("entity", self.platform(name)), value, ctx)
        if "translation_key" in kw:
            if name in {"async_create_issue", "create_issue"}:
                self._add(("issues",), kw["translation_key"], ctx)
            elif name.endswith("SelectorConfig"):
                self._add(("selector",), kw["translation_key"], ctx)
            elif name.endswith("Description"):
                self._add(("entity", self.platform(name)), kw["translation_key"], ctx)
            else:
                self._add(("exceptions",), kw["translation_key"], ctx)
                if "translation_domain" not in kw:
                    self.problems.append(f"{ctx.at(node)}: {name} has no translation_domain")
        if kind is not None:
            self._flow_call(kind, name, kw, node, ctx)

    def _flow_call(
        self, kind: str, name: str, kw: dict[str, ast.expr], node: ast.Call, ctx: Ctx
    ) -> None:
        method = ctx.func.name if ctx.func else ""
        if name in STEP_CALLS:
            if isinstance(kw.get("step_id"), ast.Name):  # a helper's step_id parameter
                self._add((kind, "step"), kw["step_id"], ctx)
            steps = (
                self.strings(kw["step_id"], ctx)
                if "step_id" in kw
                else {method.removeprefix("async_step_")}
            )
            for step in steps:
                self.keys.append(Key((kind, "step", step), ctx.at(node)))
                for field_name, section in self.fields(kw.get("data_schema"), ctx).items():
                    inner = (
                        (kind, "step", step, "sections", field_name)
                        if section
                        else (kind, "step", step)
                    )
                    self.keys += [
                        Key((*inner, "data", f), ctx.at(node)) for f in section or [field_name]
                    ]
                options = kw.get("menu_options")
                for option in options.elts if isinstance(options, ast.List | ast.Tuple) else []:
                    self._add((kind, "step", step, "menu_options"), option, ctx)
            self._add((kind, "progress"), kw.get("progress_action"), ctx)
            for value in getattr(kw.get("errors"), "values", []):
                self._add((kind, "error"), value, ctx)
        elif name in {"async_abort", "AbortFlow"}:
            self._add((kind, "abort"), kw.get("reason", node.args[0] if node.args else None), ctx)
        elif name in IMPLIED_ABORTS and not (
            name == "async_set_unique_id" and "raise_on_progress" in kw
        ):
            self.keys.append(Key((kind, "abort", IMPLIED_ABORTS[name]), ctx.at(node)))
        elif name == "async_update_reload_and_abort":
            if "reason" in kw:
                self._add((kind, "abort"), kw["reason"], ctx)
            for reason in (
                []
                if "reason" in kw
                else [r for r in ("reauth", "reconfigure") if r in method]
                or ["reauth", "reconfigure"]
            ):
                self.keys.append(Key((kind, "abort", f"{reason}_successful"), ctx.at(node)))


def untranslated_raises(code: Code) -> list[str]:
    """Home Assistant errors raised without a translation (``exception-translations``)."""
    problems = []
    for node, ctx in code.nodes:
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name, source = (
                call_name(node.exc.func),
                code.origin(ctx.module, call_name(node.exc.func)),
            )
            error = getattr(importlib.import_module(source), name, None) if source else None
            translated = "translation_key" in kwargs(node.exc)
            if isinstance(error, type) and issubclass(error, HomeAssistantError) and not translated:
                problems.append(f"{ctx.at(node)}: {name} without a translation_key")
    return [p for p in problems if "AbortFlow" not in p]  # a flow's abort carries a reason
