"""What the table must hold, read from the very script Homebound loads, and the comparison.

Why read the script rather than restate the policy: the renderer is the one place that decides
what the table holds. Reading its output generically (``add set``, ``add element``, ``add
chain``, ``add rule``, ``flush``, ``delete``) keeps verify right whatever the renderer adds
next - a new set, a new rule, a new chain - without a second list of element texts here.

Rules are the one thing a script cannot say in the kernel's terms (``ip daddr @allow4
return`` is listed as JSON statements, after nft's own rewriting). Each rule is therefore
checked two ways: its *signature* (the sets it names and its verdict) against the script, always;
and its full statements against the kernel's own listing recorded right after Homebound's
transaction loaded it (:class:`RuleBaseline`), whenever one was recorded for exactly these rule
texts. After an apply there always is one, so a rule changed in any way shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
import json
import re
from typing import Any

from .nft_content import (
    ChainContent,
    SetContent,
    TableContent,
    atom_text,
    collapse,
    is_address_interval,
    key_types,
)

PRIORITIES = {"raw": -300, "mangle": -150, "dstnat": -100, "filter": 0, "security": 50,
              "srcnat": 100}  # fmt: skip
"""nftables' standard priority names (inet, ip, ip6 families)."""
EXPIRY_SLACK = 2.0
"""Seconds a timeout element may differ from the window that placed it (whole-second clocks)."""
_REF = re.compile(r"@([A-Za-z0-9_.-]+)")
_VERDICT = re.compile(
    r"(?:^|\s)(accept|drop|return|continue|reject|queue|(?:goto|jump)\s+[A-Za-z0-9_.-]+)"
    r"(?:\s+[^@]*)?$"
)
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+)(ms|s|m|h|d)")


@dataclass(slots=True)
class ExpectedTable:
    """The table a script makes: chains with their rule texts, sets with their elements."""

    chains: dict[str, ChainContent] = field(default_factory=dict)
    sets: dict[str, SetContent] = field(default_factory=dict)
    dynamic: set[str] = field(default_factory=set)
    """Sets the packet path fills (their elements are not compared)."""
    counters: set[str] = field(default_factory=set)
    objects: set[tuple[str, str]] = field(default_factory=set)


def seconds(text: str) -> float:
    """``86400s``, ``1h30m``, ``500ms`` -> seconds (ValueError when it is none of these)."""
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a duration: {text!r}")
    return sum(int(n) * _UNITS[u] for n, u in parts)


def priority(text: str) -> int | None:
    """``filter - 10`` -> -10, ``dstnat - 5`` -> -105, ``-150`` -> -150; None if unknown."""
    match = re.fullmatch(r"\s*([a-z]+|-?\d+)\s*(?:([+-])\s*(\d+))?\s*", text)
    if match is None:
        return None
    base, sign, offset = match.groups()
    value = PRIORITIES.get(base) if not base.lstrip("-").isdigit() else int(base)
    if value is None:
        return None
    return value + (int(offset) if sign == "+" else -int(offset)) if sign else value


def _split(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside quotes and braces."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "{(":
            depth += 1
        elif not quoted and char in "})":
            depth -= 1
        elif not quoted and depth == 0 and text.startswith(separator, i):
            parts.append(text[start:i])
            start = i + len(separator)
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _body(text: str) -> str:
    """Return what a ``{ ... }`` holds (empty when there are no braces)."""
    text = text.strip()
    if not text.startswith("{"):
        return ""
    return text[1 : text.rindex("}")].strip()


def _declaration(kind: str, body: str) -> tuple[SetContent, bool, list[str]]:
    """Read a set's or map's declaration: its content, whether dynamic, inline elements."""
    type_text: str | None = None
    data: str | None = None
    flags: set[str] = set()
    timeout = size = None
    inline: list[str] = []
    for statement in _split(body, ";"):
        word, _, rest = statement.partition(" ")
        rest = rest.strip()
        if word == "type":
            type_text, _, data_text = rest.partition(" : ")
            data = data_text.strip() or None
        elif word == "typeof":
            type_text = None
        elif word == "flags":
            flags = {f.strip() for f in rest.split(",")}
        elif word == "timeout":
            timeout = int(seconds(rest))
        elif word == "size":
            size = int(rest)
        elif word == "elements":
            inline = _split(_body(rest.lstrip("= ")), ",")
    content = SetContent(
        kind=kind,
        type=type_text.strip() if type_text else None,
        data=data if kind == "map" else None,
        flags=frozenset(flags & {"interval", "timeout", "constant"}),
        timeout=timeout,
        size=size,
    )
    return content, "dynamic" in flags, inline


def _element(text: str, content: SetContent) -> tuple[str, float | None]:
    """One element as written in a script: canonical text and its timeout, if any."""
    key, sep, value = text.partition(" : ")
    tokens = _split(key, " ")
    atoms, options = [tokens[0]], tokens[1:]
    while len(options) >= 2 and options[0] == ".":
        atoms.append(options[1])
        options = options[2:]
    timeout = None
    for name, option in zip(options[::2], options[1::2], strict=False):
        if name == "timeout":
            timeout = seconds(option)
    kinds = key_types(content.type)
    kinds = kinds if len(kinds) == len(atoms) else [None] * len(atoms)
    canonical = " . ".join(atom_text(a, k) for a, k in zip(atoms, kinds, strict=True))
    if sep:
        canonical += f" : {value.strip().strip(chr(34))}"
    return canonical, timeout


def _chain(body: str) -> ChainContent:
    fields: dict[str, Any] = {}
    for statement in _split(body, ";"):
        words = statement.split()
        if words[0] == "type" and len(words) >= 3 and words[2] == "hook":
            fields["type"], fields["hook"] = words[1], words[3]
            if "priority" in words:
                fields["priority"] = priority(" ".join(words[words.index("priority") + 1 :]))
        elif words[0] == "policy" and len(words) == 2:
            fields["policy"] = words[1]
    return ChainContent(**fields)


def _lines(script: str) -> Iterator[list[str]]:
    for raw in script.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            yield line.split(None, 5)


def expected_table(script: str, family: str, table: str) -> ExpectedTable:
    """Read what ``script`` leaves in ``family table`` (ValueError on a line it cannot read)."""
    want = ExpectedTable()
    elements: dict[str, dict[str, float | None]] = {}
    rules: dict[str, list[str]] = {}
    for words in _lines(script):
        if len(words) < 4:
            raise ValueError(f"verify cannot read {' '.join(words)!r}")
        if words[2] != family or words[3] != table:
            continue  # another table: not Homebound's to verify
        verb, kind, rest = words[0], words[1], words[4:]
        name = rest[0] if rest else ""
        tail = rest[1] if len(rest) > 1 else ""
        if kind == "table":
            if verb == "delete":
                want, elements, rules = ExpectedTable(), {}, {}
        elif verb == "add" and kind in {"set", "map"}:
            content, dynamic, inline = _declaration(kind, _body(tail))
            if name not in want.sets:
                want.sets[name] = content
                elements[name] = {}
            if dynamic:
                want.dynamic.add(name)
            for item in inline:
                key, left = _element(item, want.sets[name])
                elements[name][key] = left
        elif verb == "add" and kind == "element":
            if name not in want.sets:
                raise ValueError(f"elements added to {name}, which the script never declares")
            for item in _split(_body(tail), ","):
                key, left = _element(item, want.sets[name])
                elements[name][key] = left
        elif verb == "add" and kind == "chain":
            if name not in want.chains:
                want.chains[name] = _chain(_body(tail))
                rules[name] = []
        elif verb == "add" and kind == "rule":
            rules[name].append(" ".join(rest[1:]))
        elif verb == "add" and kind == "counter":
            want.counters.add(name)
        elif verb == "add":
            want.objects.add((kind, name))
        elif verb == "flush" and kind == "chain":
            rules[name] = []
        elif verb == "flush" and kind in {"set", "map"}:
            elements[name] = {}
        elif verb == "delete":
            for store in (want.chains, want.sets, rules, elements):
                store.pop(name, None)
            want.counters.discard(name)
            want.objects.discard((kind, name))
        else:
            raise ValueError(f"verify cannot read {' '.join(words)!r}")
    for name, chain in want.chains.items():
        want.chains[name] = ChainContent(
            chain.type, chain.hook, chain.priority, chain.policy, tuple(rules.get(name, ()))
        )
    for name, content in want.sets.items():
        found = elements.get(name, {})
        keys = frozenset(found)
        if is_address_interval(content):
            keys = collapse(keys)
        expiring = {k: t for k, t in found.items() if t is not None}
        want.sets[name] = SetContent(
            content.kind, content.type, content.data, content.flags, content.timeout,
            content.size, keys, expiring,
        )  # fmt: skip
    return want


def _signature_of_text(text: str) -> tuple[tuple[str, ...], str | None]:
    match = _VERDICT.search(text)
    verdict = " ".join(match.group(1).split()) if match else None
    return tuple(sorted(_REF.findall(text))), verdict


def _signature_of_json(rule: str) -> tuple[tuple[str, ...], str | None]:
    try:
        statements = json.loads(rule)
    except ValueError:
        return (), "?"
    refs: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str) and value.startswith("@"):
            refs.append(value[1:])
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(statements)
    verdict = None
    if isinstance(statements, list) and statements and isinstance(statements[-1], dict):
        ((key, body),) = statements[-1].items() if len(statements[-1]) == 1 else (("", None),)
        if key in {"goto", "jump"} and isinstance(body, dict):
            verdict = f"{key} {body.get('target')}"
        elif key in {"accept", "drop", "return", "continue", "reject", "queue"}:
            verdict = key
    return tuple(sorted(refs)), verdict


def signatures_match(texts: tuple[str, ...], listed: tuple[str, ...]) -> bool:
    """Whether each listed rule names the sets and has the verdict of the rule written."""
    if len(texts) != len(listed):
        return False
    return all(
        _signature_of_text(t) == _signature_of_json(r) for t, r in zip(texts, listed, strict=True)
    )


class RuleBaseline:
    """The kernel's form of the rules Homebound loaded, keyed by chain and rule texts."""

    LIMIT = 64

    def __init__(self) -> None:
        """Nothing known before the first apply."""
        self._known: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}

    def learn(self, expected: ExpectedTable, actual: TableContent) -> None:
        """Record each chain's listed rules, where they match what was written."""
        for name, chain in expected.chains.items():
            listed = actual.chains.get(name)
            if listed is not None and signatures_match(chain.rules, listed.rules):
                if len(self._known) >= self.LIMIT:
                    self._known.pop(next(iter(self._known)))
                self._known[(name, chain.rules)] = listed.rules

    def rules(self, chain: str, texts: tuple[str, ...]) -> tuple[str, ...] | None:
        """Return the listed form of these rule texts in this chain, if recorded."""
        return self._known.get((chain, texts))


def set_differs(want: SetContent, have: SetContent, dynamic: bool) -> bool:
    """Whether a set differs from what was written (True: changed)."""
    declared = (want.kind, want.data, want.flags) != (have.kind, have.data, have.flags)
    if want.type is not None and want.type != have.type:
        declared = True
    for value, listed in ((want.timeout, have.timeout), (want.size, have.size)):
        if value is not None and value != listed:
            declared = True
    if declared or dynamic:
        return declared
    if "timeout" not in want.flags:
        return want.elements != have.elements
    for element in have.elements | want.elements:
        if element in want.elements and element not in want.expiring:
            if element not in have.elements or element in have.expiring:
                return True
            continue
        left = want.expiring.get(element, 0.0)
        found = have.expiring.get(element) if element in have.elements else 0.0
        if found is None or abs(found - left) > EXPIRY_SLACK:
            return True
    return False


def blind_sets(want: ExpectedTable) -> tuple[str, ...]:
    """Name the sets whose element changes ``nft monitor`` may miss: interval concatenations.

    nft 1.0.6 prints nothing (or garbage, or crashes) for an element added to a set of type
    ``a . b . c`` with ``flags interval``; such sets are polled instead (see the guard).
    """
    return tuple(
        sorted(
            name
            for name, content in want.sets.items()
            if name not in want.dynamic
            and "interval" in content.flags
            and content.type is not None
            and " . " in content.type
        )
    )


def compare(
    want: ExpectedTable, have: TableContent, baseline: RuleBaseline | None = None
) -> list[str]:
    """List what differs between the written and the listed table, as stable codes."""
    found: list[str] = []
    if have.flags:
        found.append("table_flags_changed")
    for name, chain in want.chains.items():
        listed = have.chains.get(name)
        if listed is None:
            found.append(f"chain_missing:{name}")
            continue
        if (chain.type, chain.hook) != (listed.type, listed.hook):
            found.append(f"hook_changed:{name}")
        elif chain.priority is not None and chain.priority != listed.priority:
            found.append(f"priority_changed:{name}")
        if chain.policy is not None and chain.policy != listed.policy:
            found.append(f"policy_changed:{name}")
        known = baseline.rules(name, chain.rules) if baseline is not None else None
        same = listed.rules == known if known is not None else False
        if not same and not (known is None and signatures_match(chain.rules, listed.rules)):
            found.append(f"rules_changed:{name}")
    found += [f"chain_added:{name}" for name in sorted(set(have.chains) - set(want.chains))]
    for name, content in want.sets.items():
        if name not in have.sets:
            found.append(f"set_missing:{name}")
        elif set_differs(content, have.sets[name], name in want.dynamic):
            found.append(f"set_changed:{name}")
    found += [f"set_added:{name}" for name in sorted(set(have.sets) - set(want.sets))]
    found += [f"object_added:{k}:{n}" for k, n in sorted(have.objects - want.objects)]
    return found
