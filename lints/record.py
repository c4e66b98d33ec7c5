"""`Frozen`: what `@dataclass(frozen=True)` gives, without importing `dataclasses`.

A pre-commit run, the memory hooks, `search`, `brief` and dispatch import records on every
call, and `dataclasses` pulls in `inspect`, `ast` and `dis` (and builds each class at import
time); a NamedTuple compiles each field's annotation under `from __future__ import
annotations`. A subclass lists its fields in `__slots__`, in order, and sets them in its typed
`__init__` through `_set`; equality, hashing, `repr`, copying and `replace` come from here.
Fields named in `_unseen` are left out of equality, hashing and `repr` (a dataclass field's
`compare=False, repr=False`).

It lives in `lints`, which imports nothing from `rulesync`; `rulesync.record` re-exports it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not from typing: start-up counts
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _F = TypeVar("_F", bound="Frozen")


class Frozen:
    """Immutable, compared and hashed by its fields (`__slots__`, in order)."""

    __slots__: tuple[str, ...] = ()
    #: fields left out of equality, hashing and repr (a class attribute, not a field)
    _unseen: frozenset[str] = frozenset()

    def _set(self, **values: object) -> None:
        for name in self.__slots__:
            object.__setattr__(self, name, values[name])

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def _seen(self) -> tuple[str, ...]:
        return tuple(name for name in self.__slots__ if name not in self._unseen)

    def _compared(self) -> tuple[object, ...]:
        if not self._unseen:
            return self._values()
        return tuple(getattr(self, name) for name in self._seen())

    def replace(self: _F, **changes: Any) -> _F:
        """A copy with some fields changed (`dataclasses.replace`)."""
        unknown = set(changes) - set(self.__slots__)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        values = dict(zip(self.__slots__, self._values(), strict=True))
        values.update(changes)
        return type(self)(**values)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: {type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: {type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Frozen)
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._seen())
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), dict(zip(self.__slots__, self._values(), strict=True))))


def _rebuild(cls: type[Frozen], values: dict[str, Any]) -> Frozen:
    return cls(**values)


# --- `typing` stand-ins --------------------------------------------------------------------
# `typing` is a sixth of a one-file lint run's instructions (and each `typing.NamedTuple`
# class turns its annotations into ForwardRefs). Modules on that path import these at run
# time and the real ones for mypy:
#
#     TYPE_CHECKING = False
#     if TYPE_CHECKING:
#         from typing import NamedTuple, Protocol
#     else:
#         from lints.record import NamedTuple, Protocol

#: what `typing.NamedTuple` refuses in a class body (it would break the tuple)
_NOT_IN_BODY = frozenset(
    {"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults"}
    | {"_make", "_replace", "_asdict", "_source"}
)
_NOT_COPIED = frozenset({"__module__", "__qualname__", "__annotations__", "__doc__"})


class _NamedTupleMeta(type):
    def __new__(
        cls, name: str, bases: tuple[type, ...], body: dict[str, Any]
    ) -> Any:  # a collections.namedtuple class, as typing.NamedTuple makes it
        if not bases:  # NamedTuple itself
            return super().__new__(cls, name, bases, body)
        return _named_tuple(name, body)


def _named_tuple(name: str, body: dict[str, Any]) -> type:
    """The class `typing.NamedTuple` builds for `class name(NamedTuple): body`, with the
    annotations kept as they are (strings, under `from __future__ import annotations`)."""
    from collections import namedtuple

    fields = tuple(body.get("__annotations__", {}))
    with_default = [field for field in fields if field in body]
    if with_default and fields[-len(with_default) :] != tuple(with_default):
        raise TypeError(f"{name}: a field without a default follows one with a default")
    defaults = [body[field] for field in with_default]
    module = body["__module__"]
    made = namedtuple(name, fields, defaults=defaults, module=module)  # type: ignore[misc]
    made.__annotations__ = dict(body.get("__annotations__", {}))
    made.__qualname__ = body.get("__qualname__", name)
    if body.get("__doc__"):
        made.__doc__ = body["__doc__"]
    for key, value in body.items():
        if key in _NOT_IN_BODY:
            raise AttributeError(f"cannot overwrite NamedTuple attribute {key}")
        if key not in _NOT_COPIED and key not in fields:
            setattr(made, key, value)
    return made


#: `class X(NamedTuple): a: int` makes a namedtuple class, as `typing.NamedTuple` does.
NamedTuple = _NamedTupleMeta("NamedTuple", (), {"__module__": __name__})


class Protocol:
    """`typing.Protocol` at run time: a plain base (nothing checks protocols at run time)."""

    __slots__ = ()
